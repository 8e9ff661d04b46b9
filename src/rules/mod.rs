//! Stage 6: rules. Each rule lives in its own file with its documentation in
//! `rules/<rule-id>.md`; the documentation's front matter gives the default severity and the
//! one-line summary, so `rules`, `explain` and every output format read the same text.

pub mod support;

pub mod apim_no_audience;
pub mod apim_require_scheme_ignored;
pub mod appid_dropped;
pub mod appid_mismatch;
pub mod audience_ignored;
pub mod audience_not_validated;
pub mod audience_token_version;
pub mod authority_conflict;
pub mod b2c_entra_metadata;
pub mod b2c_legacy_host;
pub mod b2c_missing_policy;
pub mod b2c_policy_mismatch;
pub mod bound_scheme_unvalidated;
pub mod ciam_entra_metadata;
pub mod cloud_mismatch;
pub mod graph_audience;
pub mod graph_scope_for_api;
pub mod graph_token_forwarded;
pub mod helm_values_key_ignored;
pub mod impossible_issuer;
pub mod insecure_metadata;
pub mod invalid_client_id;
pub mod invalid_suppression;
pub mod invalid_syntax;
pub mod invalid_tenant;
pub mod issuer_keys_mismatch;
pub mod issuer_token_version;
pub mod issuer_validation_disabled;
pub mod katana_bearer_fixed_host;
pub mod malformed_authority;
pub mod metadata_url_as_authority;
pub mod missing_required;
pub mod missing_section;
pub mod multitenant_exact_issuer;
pub mod oauth2_proxy_entra_id_issuer;
pub mod oauth2_proxy_scope_separator;
pub mod package_regression;
pub mod placeholder_value;
pub mod retired_host;
pub mod saml_appid_missing;
pub mod secret_id_as_secret;
pub mod secret_in_config;
pub mod skipped_file;
pub mod spring_cloud_azure_tenant;
pub mod tenant_in_instance;
pub mod unknown_authority_host;
pub mod unreadable_file;
pub mod untrusted_authority;
pub mod unused_suppression;
pub mod validation_disabled;
pub mod whitespace_in_value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::infer::Inference;
use crate::model::{App, Facts, Setting};
use crate::source::Location;

/// What a rule looks at.
pub enum Check {
    /// Raised by the read and extract stages (syntax errors, unreadable files).
    Pipeline,
    /// Looks at one app with its inference.
    App(fn(&AppContext, &mut Vec<Diagnostic>)),
}

pub struct Rule {
    pub id: &'static str,
    /// The Markdown documentation, with `severity:` and `summary:` front matter.
    pub doc: &'static str,
    pub check: Check,
}

/// Everything an app rule may look at.
pub struct AppContext<'a> {
    pub app: &'a App,
    pub inference: &'a Inference,
    pub facts: &'a Facts,
    /// The file that defines the app.
    pub path: &'a std::path::Path,
}

impl Rule {
    fn front_matter(&self, field: &str) -> Option<&'static str> {
        let doc: &'static str = self.doc;
        let body = doc.strip_prefix("---\n")?;
        let end = body.find("\n---")?;
        body[..end]
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':').map(str::trim))
    }

    pub fn default_severity(&self) -> Severity {
        self.front_matter("severity")
            .and_then(Severity::parse)
            .unwrap_or(Severity::Error)
    }

    pub fn summary(&self) -> &'static str {
        self.front_matter("summary").unwrap_or_default()
    }

    /// The tags of the rule's front matter: `security` for rules about accepting tokens that
    /// should be refused or leaking secrets, `correctness` for rules about tokens that will be
    /// refused, then what the rule is about (`b2c`, `graph`, `authority`, ...). `--select` and
    /// `--ignore` accept them.
    pub fn tags(&self) -> Vec<&'static str> {
        self.front_matter("tags")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// The kind of fix the rule offers (`fix:` in the front matter); `None` for `fix: none`.
    pub fn fix(&self) -> Option<crate::fix::Applicability> {
        self.front_matter("fix")
            .and_then(crate::fix::Applicability::parse)
    }

    /// GitHub code scanning's 0.1 to 10.0 scale; every rule's front matter gives one.
    pub fn security_severity(&self) -> &'static str {
        self.front_matter("security-severity").unwrap_or("0.1")
    }

    /// The id in PascalCase (`graph-audience` is `GraphAudience`), the readable name SARIF
    /// viewers show.
    pub fn name(&self) -> String {
        self.id
            .split('-')
            .flat_map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_ascii_uppercase())
                    .into_iter()
                    .chain(chars)
            })
            .collect()
    }

    /// Where the documentation is published: `rules/<id>.md` on the repository's main branch.
    pub fn doc_url(&self) -> String {
        format!(
            "{}/blob/main/rules/{}.md",
            crate::report::sarif::INFORMATION_URI,
            self.id
        )
    }

    /// The "What it detects" paragraph of the documentation.
    pub fn description(&self) -> &'static str {
        let body = self.body();
        body.split("## What it detects")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .map(str::trim)
            .unwrap_or(self.summary())
    }

    /// The documentation without its front matter.
    pub fn body(&self) -> &'static str {
        let doc: &'static str = self.doc;
        doc.strip_prefix("---\n")
            .and_then(|b| b.find("\n---\n").map(|end| &b[end + 5..]))
            .unwrap_or(doc)
            .trim_start()
    }

    pub fn diagnostic(&'static self, primary: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: self.id,
            severity: self.default_severity(),
            message: elide_long_words(message.into()),
            primary,
            key: None,
            environment: None,
            related: Vec::new(),
            help: None,
            fix: None,
            stack: None,
        }
    }

    /// A diagnostic pointing at a setting's value.
    pub fn at(&'static self, setting: &Setting, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(setting.origin, message)
            .with_key(setting.key.clone())
    }
}

/// Words (values quoted in a message) longer than this are shortened: a 10 MB value must not
/// become a 10 MB log line.
const LONGEST_WORD: usize = 300;

fn elide_long_words(message: String) -> String {
    if message.len() <= LONGEST_WORD || message.split(' ').all(|w| w.len() <= LONGEST_WORD) {
        return message;
    }
    message
        .split(' ')
        .map(|word| {
            if word.len() <= LONGEST_WORD {
                return word.to_string();
            }
            let head = word.char_indices().nth(200).map_or(word.len(), |(i, _)| i);
            let tail = word
                .char_indices()
                .rev()
                .nth(39)
                .map_or(0, |(i, _)| i)
                .max(head);
            format!("{}…{}", &word[..head], &word[tail..])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every rule, in catalogue order.
pub static ALL: &[&Rule] = &[
    &invalid_syntax::RULE,
    &unreadable_file::RULE,
    &skipped_file::RULE,
    &unused_suppression::RULE,
    &invalid_suppression::RULE,
    &missing_required::RULE,
    &missing_section::RULE,
    &placeholder_value::RULE,
    &whitespace_in_value::RULE,
    &invalid_client_id::RULE,
    &invalid_tenant::RULE,
    &secret_id_as_secret::RULE,
    &secret_in_config::RULE,
    &unknown_authority_host::RULE,
    &retired_host::RULE,
    &insecure_metadata::RULE,
    &malformed_authority::RULE,
    &metadata_url_as_authority::RULE,
    &tenant_in_instance::RULE,
    &authority_conflict::RULE,
    &b2c_entra_metadata::RULE,
    &b2c_missing_policy::RULE,
    &b2c_legacy_host::RULE,
    &b2c_policy_mismatch::RULE,
    &ciam_entra_metadata::RULE,
    &cloud_mismatch::RULE,
    &saml_appid_missing::RULE,
    &appid_mismatch::RULE,
    &appid_dropped::RULE,
    &graph_audience::RULE,
    &graph_scope_for_api::RULE,
    &audience_ignored::RULE,
    &bound_scheme_unvalidated::RULE,
    &audience_token_version::RULE,
    &issuer_token_version::RULE,
    &multitenant_exact_issuer::RULE,
    &impossible_issuer::RULE,
    &issuer_validation_disabled::RULE,
    &validation_disabled::RULE,
    &katana_bearer_fixed_host::RULE,
    &apim_no_audience::RULE,
    &apim_require_scheme_ignored::RULE,
    &oauth2_proxy_entra_id_issuer::RULE,
    &graph_token_forwarded::RULE,
    &package_regression::RULE,
    &issuer_keys_mismatch::RULE,
    &helm_values_key_ignored::RULE,
    &oauth2_proxy_scope_separator::RULE,
    &untrusted_authority::RULE,
    &spring_cloud_azure_tenant::RULE,
    &audience_not_validated::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// The rule id closest to a misspelt one, when one is close enough to be what was meant.
pub fn suggest(unknown: &str) -> Option<&'static str> {
    let unknown = unknown.to_ascii_lowercase();
    ALL.iter()
        .map(|r| (strsim::jaro_winkler(&unknown, r.id), r.id))
        .filter(|(similarity, _)| *similarity >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

/// `' (did you mean 'x'?)` for a misspelt rule id, or nothing.
pub fn did_you_mean(unknown: &str) -> String {
    suggest(unknown).map_or_else(String::new, |id| format!(" (did you mean '{id}'?)"))
}

/// The rules a selector names, in catalogue order: `all`, a rule id, a tag of the rules'
/// front matter (`security`, `b2c`, ...) or the start of rule ids (`b2c-`, `apim`).
pub fn select(selector: &str) -> Result<Vec<&'static str>, String> {
    let selector = selector.trim().to_ascii_lowercase();
    let chosen: Vec<&'static str> = ALL
        .iter()
        .filter(|r| {
            selector == "all"
                || r.id.starts_with(&selector)
                || r.tags().contains(&selector.as_str())
        })
        .map(|r| r.id)
        .collect();
    if chosen.is_empty() {
        let hint = match suggest(&selector) {
            Some(id) => format!("did you mean '{id}'?"),
            None => "`entralint rules` lists the ids and tags".to_string(),
        };
        return Err(format!(
            "unknown rule id '{selector}': no rule id, id prefix or tag matches it ({hint})"
        ));
    }
    Ok(chosen)
}

/// Rules about values that are wrong on their own, whatever app they end up in: the only ones
/// run on variables no app could be matched to.
const LONE_VALUE_RULES: &[&str] = &[
    "placeholder-value",
    "whitespace-in-value",
    "invalid-client-id",
    "invalid-tenant",
    "secret-id-as-secret",
    "secret-in-config",
    "unknown-authority-host",
    "retired-host",
    "insecure-metadata",
    "malformed-authority",
    "metadata-url-as-authority",
    "graph-audience",
];

/// A client validates no token: besides values wrong on their own, only what it asks for.
/// A client signs in, so a host that no longer serves B2C, or that MSAL refuses, fails it too.
const CLIENT_RULES: &[&str] = &[
    "graph-scope-for-api",
    "cloud-mismatch",
    "b2c-legacy-host",
    "untrusted-authority",
];

/// Runs every app rule on one app.
pub fn check_app(context: &AppContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in ALL {
        if context.app.standalone && !LONE_VALUE_RULES.contains(&rule.id) {
            continue;
        }
        if context.app.role == crate::model::Role::Client
            && !LONE_VALUE_RULES.contains(&rule.id)
            && !CLIENT_RULES.contains(&rule.id)
        {
            continue;
        }
        if let Check::App(check) = rule.check {
            check(context, &mut out);
        }
    }
    out
}

/// What one rule's check finds in `app`, with its inference and no registration facts: the
/// plumbing every rule's unit tests share.
#[cfg(test)]
pub fn findings_of(
    check: fn(&AppContext, &mut Vec<Diagnostic>),
    app: &crate::model::App,
) -> Vec<Diagnostic> {
    let inference = crate::infer::infer(app);
    let facts = crate::model::Facts::default();
    let mut out = Vec::new();
    check(
        &AppContext {
            app,
            inference: &inference,
            facts: &facts,
            path: std::path::Path::new("appsettings.json"),
        },
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_tags_and_a_security_severity() {
        for rule in ALL {
            assert!(!rule.tags().is_empty(), "{} has no tags", rule.id);
            let score: f64 = rule
                .front_matter("security-severity")
                .unwrap_or_default()
                .parse()
                .unwrap_or_else(|_| panic!("{} has no security-severity", rule.id));
            assert!((0.1..=10.0).contains(&score), "{}: {score}", rule.id);
        }
    }

    #[test]
    fn selectors_name_rules_by_id_prefix_and_tag() {
        assert_eq!(select("graph-audience").unwrap(), ["graph-audience"]);
        assert_eq!(
            select("b2c-").unwrap(),
            [
                "b2c-entra-metadata",
                "b2c-missing-policy",
                "b2c-legacy-host",
                "b2c-policy-mismatch"
            ]
        );
        assert!(select("secrets").unwrap().contains(&"secret-in-config"));
        assert_eq!(select("all").unwrap().len(), ALL.len());
        let error = select("graph-audiense").unwrap_err();
        assert!(error.contains("did you mean 'graph-audience'?"), "{error}");
        assert_eq!(suggest("zzz"), None);
        assert_eq!(find("graph-audience").unwrap().name(), "GraphAudience");
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "y".repeat(10_000);
        let message = elide_long_words(format!("`ClientId` '{long}' is not a GUID"));
        assert!(message.len() < 300, "{}", message.len());
        assert!(message.starts_with("`ClientId` 'yyy") && message.ends_with("yy' is not a GUID"));
        assert_eq!(
            elide_long_words("short words stay".into()),
            "short words stay"
        );
    }
}
