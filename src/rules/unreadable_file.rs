//! A file cannot be read. Raised by the read stage.

use super::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "unreadable-file",
    doc: include_str!("../../rules/unreadable-file.md"),
    check: Check::Pipeline,
};
