//! The one diagnostic model every stage produces and every output format renders.

use crate::fix::Fix;
use crate::source::Location;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim() {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The value a user must change.
    pub primary: Location,
    /// The .NET-style key path of the primary value, when it is a setting.
    pub key: Option<String>,
    /// The environment layer set the finding was seen in; `None` for the base files alone.
    pub environment: Option<String>,
    /// Other values involved.
    pub related: Vec<Related>,
    pub help: Option<String>,
    /// A machine-applicable fix, when the rule knows the value that is meant.
    pub fix: Option<Fix>,
    /// The stack of the app the finding is about; `None` for findings about a file.
    pub stack: Option<&'static str>,
}

impl Diagnostic {
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        if location != self.primary && !self.related.iter().any(|r| r.location == location) {
            self.related.push(Related {
                location,
                message: message.into(),
            });
        }
        self
    }

    /// Attaches a fix, or nothing when the rule has none for this finding.
    pub fn with_fix(mut self, fix: impl Into<Option<Fix>>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
