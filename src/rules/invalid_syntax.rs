//! A file cannot be parsed. Raised by the read and extract stages.

use super::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "invalid-syntax",
    doc: include_str!("../../rules/invalid-syntax.md"),
    check: Check::Pipeline,
};
