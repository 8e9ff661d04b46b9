//! A file was not analysed (too large, binary). Raised by the read stage.

use super::{Check, Rule};

/// Files larger than this are not read: no configuration file is this large.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

pub static RULE: Rule = Rule {
    id: "skipped-file",
    doc: include_str!("../../rules/skipped-file.md"),
    check: Check::Pipeline,
};
