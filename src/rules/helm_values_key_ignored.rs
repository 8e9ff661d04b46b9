//! A Helm values key the chart never reads because of its case (`Config:` for `config:`).
//! Raised by the extraction of the chart's values (src/stacks/oauth2_proxy/helm.rs).

use super::{Check, Rule};

pub static RULE: Rule = Rule {
    id: "helm-values-key-ignored",
    doc: include_str!("../../rules/helm-values-key-ignored.md"),
    check: Check::Pipeline,
};
