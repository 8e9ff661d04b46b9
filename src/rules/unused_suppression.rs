//! A suppression comment that matches no finding. Raised by the suppress stage.

use super::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "unused-suppression",
    doc: include_str!("../../rules/unused-suppression.md"),
    check: Check::Pipeline,
};
