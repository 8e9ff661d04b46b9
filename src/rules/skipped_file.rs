//! A file was not analysed (too large, binary). Raised by the read stage.

use super::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "skipped-file",
    doc: include_str!("../../rules/skipped-file.md"),
    check: Check::Pipeline,
};
