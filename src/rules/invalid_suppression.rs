//! A suppression comment without a reason, or naming an unknown rule. Raised by the suppress stage.

use super::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "invalid-suppression",
    doc: include_str!("../../rules/invalid-suppression.md"),
    check: Check::Pipeline,
};
