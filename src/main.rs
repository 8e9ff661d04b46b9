//! The command line: parses arguments, runs the pipeline, prints, and maps the outcome to an
//! exit code (0 clean, 1 findings at error severity, 2 usage or internal error).

use clap::{Parser, Subcommand, ValueEnum};
use entralint::diagnostic::Severity;
use entralint::pipeline::analyse;
use entralint::report::{concise, inspect_json, inspect_text, json, text};
use entralint::rules;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "entralint",
    version,
    about = "Finds the settings that make apps reject valid Microsoft Entra ID, Azure AD B2C and External ID tokens, or accept tokens they should not."
)]
#[command(after_help = "Exit codes: 0 no errors found, 1 errors found, 2 usage or internal error.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint configuration files (default: the current folder).
    Check {
        paths: Vec<PathBuf>,
        /// Output format; default `text` on a terminal, `concise` otherwise.
        #[arg(long, value_enum)]
        format: Option<CheckFormat>,
    },
    /// Print what each app's framework will really use: authority, metadata address, signing keys, issuers, audiences.
    Inspect {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: InspectFormat,
    },
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: InspectFormat,
    },
    /// Print a rule's documentation.
    Explain { rule: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Concise,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("entralint: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    }
}

fn print(output: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|_| stdout.flush())
    {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    match cli.command {
        Command::Check { paths, format } => {
            let analysis = analyse(&default_paths(paths), &cwd)?;
            let terminal = std::io::stdout().is_terminal();
            let format = format.unwrap_or(if terminal {
                CheckFormat::Text
            } else {
                CheckFormat::Concise
            });
            let diagnostics = &analysis.diagnostics;
            let output = match format {
                CheckFormat::Text => {
                    let color =
                        terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                    text::render(&analysis.sources, diagnostics, color)
                        + &text::summary(diagnostics, analysis.sources.len(), analysis.apps.len())
                }
                CheckFormat::Concise => concise::render(&analysis.sources, diagnostics),
                CheckFormat::Json => json::render(&analysis.sources, diagnostics),
            };
            print(&output)?;
            let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Inspect { paths, format } => {
            let analysis = analyse(&default_paths(paths), &cwd)?;
            let output = match format {
                InspectFormat::Text => inspect_text::render(&analysis.sources, &analysis.apps),
                InspectFormat::Json => inspect_json::render(&analysis.sources, &analysis.apps),
            };
            print(&output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { format } => {
            let output = match format {
                InspectFormat::Text => rules::ALL
                    .iter()
                    .map(|r| {
                        format!(
                            "{:<28} {:<8} {}\n",
                            r.id,
                            r.default_severity().as_str(),
                            r.summary()
                        )
                    })
                    .collect::<String>(),
                InspectFormat::Json => {
                    let list: Vec<serde_json::Value> = rules::ALL
                        .iter()
                        .map(|r| serde_json::json!({ "id": r.id, "severity": r.default_severity().as_str(), "summary": r.summary() }))
                        .collect();
                    serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
                }
            };
            print(&output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(found) => {
                print(found.body())?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let close: Vec<&str> = rules::ALL
                    .iter()
                    .map(|r| r.id)
                    .filter(|id| id.contains(rule.as_str()) || rule.contains(id))
                    .collect();
                let hint = if close.is_empty() {
                    "run `entralint rules` for the list".to_string()
                } else {
                    format!("did you mean {}?", close.join(", "))
                };
                Err(format!("unknown rule '{rule}': {hint}"))
            }
        },
    }
}
