//! `entralint token`: judges one token, offline, against every app of the checked tree. The
//! token is decoded ([`decode`]), described ([`classify`]), its signature checked against
//! saved keys ([`keys`]), and each app's inference gives a verdict ([`judge`]), printed as
//! [`text`] or [`json`]. The token is read from a file or standard input, never an argument,
//! and nothing is written anywhere.

pub mod classify;
pub mod decode;
pub mod json;
pub mod judge;
pub mod keys;
pub mod text;

use crate::infer::Inference;
use crate::model::{App, Facts, Role};
use crate::rules::AppContext;
use crate::session::{self, Group};
use classify::TokenFacts;
use decode::{Jws, MAX_TOKEN_BYTES};
use judge::Reason;
use keys::{KeyDocument, MAX_KEYS_BYTES, SignatureCheck};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

pub const ABOUT: &str = "Explain why the apps here accept or reject one access token, offline.";

pub const LONG_ABOUT: &str = "\
Explain why the apps here accept or reject one access token, offline.

Decodes the token, says what it is (Entra ID v1.0/v2.0, Azure AD B2C and its policy, External ID, \
Microsoft Graph, another issuer), then gives, for every app and environment under PATHS, the \
verdict its framework would reach and every reason, with the rule of `entralint check` that \
reports the same mistake.

Where to get the token: the Authorization header of the failing request (browser developer \
tools, a reverse-proxy or APIM trace; the `Bearer ` prefix is accepted), or the access token \
your client obtained from MSAL (AcquireTokenSilent / acquireTokenSilent result). Give it in a \
file (--token-file) or on standard input, never as an argument, where shell history and \
process lists would keep it.

The token stays on this machine: nothing is sent anywhere, nothing is written to disk, and \
the output shows only its decoded header and claims, never its signature.

With --keys, the signature is verified (RS256) against saved keys: open the app's jwks_uri \
(see `entralint inspect`) in a browser and save the JSON it returns.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenFormat {
    /// For people: the token, then each app's verdict and reasons.
    Text,
    /// The versioned contract of docs/token.md, for scripts.
    Json,
}

#[derive(Clone, Debug, clap::Args)]
pub struct TokenArgs {
    /// Folders or files holding the apps' configuration (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Read the token from this file (default: standard input).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// A saved JWKS (`{"keys": [...]}`) to verify the signature with; repeat for several. An OpenID configuration only says where the keys are.
    #[arg(long, value_name = "FILE", action = clap::ArgAction::Append)]
    pub keys: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TokenFormat,
}

/// What the command prints, and how it ends.
pub struct Outcome {
    pub output: String,
    /// Said on standard error: documents that hold no keys.
    pub notes: Vec<String>,
    /// 0 when an app accepts the token, 1 when every app that validates access tokens rejects
    /// it or there is none.
    pub exit_code: u8,
}

/// One app's verdict.
pub struct Verdict<'a> {
    /// The file that defines the app, as reports show it.
    pub file: &'a str,
    pub app: &'a App,
    pub inference: &'a Inference,
    /// The app validates access tokens: sign-in web apps validate ID tokens only.
    pub applicable: bool,
    pub reasons: Vec<Reason>,
}

/// Why a sign-in web app gets no verdict on an access token.
pub const NOT_APPLICABLE: &str = "a sign-in web app: its OpenID Connect middleware validates the ID token it receives at sign-in, not access tokens sent to it, so it neither accepts nor rejects this token; judge the API that receives the token";

/// Said when nothing under PATHS could accept or reject an access token.
pub const NO_API: &str = "no app that validates access tokens was found under PATHS";

impl Verdict<'_> {
    pub fn accepted(&self) -> bool {
        self.applicable && self.reasons.is_empty()
    }

    /// `accepted`, `rejected` or `not-applicable`, as the JSON contract names them.
    pub fn id(&self) -> &'static str {
        match (self.applicable, self.reasons.is_empty()) {
            (false, _) => "not-applicable",
            (true, true) => "accepted",
            (true, false) => "rejected",
        }
    }
}

/// A file the pipeline could not read or parse, so no app in it was judged.
pub struct NotJudged {
    pub rule: &'static str,
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The rules that say a file was not read or parsed.
const NOT_JUDGED_RULES: [&str; 3] = [
    crate::rules::invalid_syntax::RULE.id,
    crate::rules::unreadable_file::RULE.id,
    crate::rules::skipped_file::RULE.id,
];

/// Everything the outputs show.
pub struct Report<'a> {
    pub jws: &'a Jws,
    pub token: &'a TokenFacts,
    pub signature: &'a SignatureCheck,
    pub verdicts: Vec<Verdict<'a>>,
    pub not_judged: &'a [NotJudged],
}

/// Runs the command. `Err` is a usage error or an unreadable token (exit 2); its message never
/// holds the token.
/// `groups` pairs the checked paths with the configuration that applies to them (see
/// `session::groups`).
pub fn execute(args: &TokenArgs, cwd: &Path, groups: &[Group]) -> Result<Outcome, String> {
    // A token pasted as a path would be echoed by "no such file" and kept in shell history.
    if args
        .paths
        .iter()
        .any(|p| !p.exists() && looks_like_token(p))
    {
        return Err("a PATH looks like a token: give the token with --token-file FILE or on standard input, never as an argument, where shell history and process lists keep it".into());
    }
    let raw = read_token(args.token_file.as_deref())?;
    let jws = decode::decode(&raw).map_err(|e| e.to_string())?;
    drop(raw);
    let documents = args
        .keys
        .iter()
        .map(|path| read_keys(path))
        .collect::<Result<Vec<_>, _>>()?;
    let signature = keys::check(&jws, &documents);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let token = classify::classify(&jws.claims, now);
    let mut notes: Vec<String> = documents
        .iter()
        .flat_map(|d| {
            let issuer = d.issuer_note(token.issuer.as_deref(), token.tenant.as_deref());
            d.note().into_iter().chain(issuer)
        })
        .collect();

    let analyses = session::analyses(groups, cwd, None, true, &|_| Ok(()))?;
    let not_judged: Vec<NotJudged> = analyses
        .iter()
        .flat_map(|analysis| {
            analysis
                .diagnostics
                .iter()
                .filter(|d| NOT_JUDGED_RULES.contains(&d.rule))
                .map(|d| {
                    let source = analysis.sources.get(d.primary.file);
                    NotJudged {
                        rule: d.rule,
                        file: source.display.clone(),
                        line: source.position(d.primary.span.start).line,
                        message: d.message.clone(),
                    }
                })
        })
        .collect();
    notes.extend(not_judged.iter().map(|n| {
        format!(
            "{}:{}: [{}] not judged: {}",
            crate::report::escape::untrusted(&n.file),
            n.line,
            n.rule,
            crate::report::escape::untrusted(&n.message)
        )
    }));
    // Registration facts (exports, entralint.toml) do not change what a token carries.
    let facts = Facts::default();
    let verdicts: Vec<Verdict> = analyses
        .iter()
        .flat_map(|analysis| {
            analysis.apps.iter().map(|(app, inference)| {
                let source = analysis.sources.get(app.file);
                let ctx = AppContext {
                    app,
                    inference,
                    facts: &facts,
                    path: &source.path,
                };
                let applicable = app.role != Role::WebApp;
                Verdict {
                    file: &source.display,
                    app,
                    inference,
                    applicable,
                    reasons: if applicable {
                        judge::judge(&ctx, &token, &signature)
                    } else {
                        Vec::new()
                    },
                }
            })
        })
        .collect();
    if !verdicts.iter().any(|v| v.applicable) {
        let paths = if args.paths.is_empty() {
            ".".to_string()
        } else {
            args.paths
                .iter()
                .map(|p| crate::report::escape::untrusted(&p.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        notes.push(format!("{NO_API} ({paths})"));
    }
    let exit_code = if verdicts.iter().any(Verdict::accepted) {
        0
    } else {
        1
    };
    let report = Report {
        jws: &jws,
        token: &token,
        signature: &signature,
        verdicts,
        not_judged: &not_judged,
    };
    let output = match args.format {
        TokenFormat::Text => text::render(&report),
        TokenFormat::Json => json::render(&report),
    };
    Ok(Outcome {
        output,
        notes,
        exit_code,
    })
}

fn looks_like_token(path: &Path) -> bool {
    let text = path.to_string_lossy();
    let text = text.trim();
    // `eyJ` is base64url for `{"`, how every JOSE header starts.
    text.starts_with("eyJ") && text.matches('.').count() >= 2
        || decode::decode(text.as_bytes()).is_ok()
}

/// At most `limit` bytes and one more, so that a larger input is refused, not held.
fn read_limited(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_token(file: Option<&Path>) -> Result<Vec<u8>, String> {
    match file {
        Some(path) => std::fs::File::open(path)
            .and_then(|f| read_limited(f, MAX_TOKEN_BYTES))
            .map_err(|e| format!("{}: the token cannot be read: {e}", path.display())),
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!(
                    "entralint: paste the token, then press Enter and Ctrl-D (Ctrl-Z then Enter on Windows); --token-file reads it from a file"
                );
            }
            read_limited(stdin.lock(), MAX_TOKEN_BYTES)
                .map_err(|e| format!("the token cannot be read from standard input: {e}"))
        }
    }
}

fn read_keys(path: &Path) -> Result<KeyDocument, String> {
    let name = path.display().to_string();
    let bytes = std::fs::File::open(path)
        .and_then(|f| read_limited(f, MAX_KEYS_BYTES))
        .map_err(|e| format!("{name}: cannot be read: {e}"))?;
    if bytes.len() > MAX_KEYS_BYTES {
        return Err(format!(
            "{name}: larger than {} KiB, more than any key set",
            MAX_KEYS_BYTES / 1024
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    keys::parse(&name, &text)
}
