//! The command line: parses arguments, runs the pipeline, prints, and maps the outcome to an
//! exit code (0 clean, 1 findings at or above the failure threshold, 2 usage, configuration or
//! internal error).

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use entralint::baseline::Baseline;
use entralint::config::{self, Config, FailOn};
use entralint::output;
use entralint::pipeline::{Request, run};
use entralint::report::{self, Format, Style, escape, inspect_json, inspect_text, statistics};
use entralint::rules;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "entralint",
    version,
    about = "Finds the settings that make apps reject valid Microsoft Entra ID, Azure AD B2C and External ID tokens, or accept tokens they should not."
)]
#[command(
    after_help = "Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it, 2 usage, configuration or internal error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Threads that read and check files (default: one per core). Output does not depend on it.
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Lint configuration files (default: the current folder; `-` reads --stdin-filename from standard input).
    Check(CheckArgs),
    /// Print what each app's framework will really use: authority, metadata address, signing keys, issuers, audiences.
    Inspect {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain { rule: String },
}

#[derive(clap::Args)]
struct ConfigArgs {
    /// Use this configuration file instead of looking for entralint.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    paths: Vec<PathBuf>,
    /// Output format; repeat it, each followed by its --output-file, to write several (default: text on a terminal, concise otherwise).
    #[arg(long, value_enum, action = clap::ArgAction::Append)]
    format: Vec<Format>,
    /// Write the preceding --format to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH", action = clap::ArgAction::Append)]
    output_file: Vec<PathBuf>,
    /// The lowest severity that fails the run (default: error, or fail-on from entralint.toml).
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Exit 0 whatever is found (same as --fail-on never).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only: no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    statistics: bool,
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    #[command(flatten)]
    config: ConfigArgs,
    /// Print the effective configuration and exit.
    #[arg(long)]
    show_config: bool,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// The path of the file read from standard input (with `-` as the path).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

// Settings, keys and URLs are many small strings: with the system allocator, allocating and
// freeing them was a quarter of a large run's instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    match execute(cli, &matches) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("entralint: error: {}", escape::line(&message));
            ExitCode::from(2)
        }
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

fn load_config(args: &ConfigArgs, cwd: &Path) -> Result<Config, String> {
    if args.isolated {
        return Ok(Config {
            root: cwd.to_path_buf(),
            ..Config::default()
        });
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::discover(cwd),
    };
    match path {
        Some(path) => Config::load(&path).map_err(|e| e.to_string()),
        None => Ok(Config {
            root: cwd.to_path_buf(),
            ..Config::default()
        }),
    }
}

/// Pairs each --output-file with the nearest --format before it; formats without a file go to
/// standard output (at most one).
fn outputs(
    args: &CheckArgs,
    matches: &ArgMatches,
    terminal: bool,
) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
    let check = matches.subcommand_matches("check");
    let format_at: Vec<usize> = check
        .and_then(|m| m.indices_of("format"))
        .map(|i| i.collect())
        .unwrap_or_default();
    let file_at: Vec<usize> = check
        .and_then(|m| m.indices_of("output_file"))
        .map(|i| i.collect())
        .unwrap_or_default();
    let default = if terminal {
        Format::Text
    } else {
        Format::Concise
    };
    let mut pairs: Vec<(Format, Option<PathBuf>)> =
        args.format.iter().map(|f| (*f, None)).collect();
    for (file, at) in args.output_file.iter().zip(file_at) {
        let owner = format_at
            .iter()
            .enumerate()
            .rev()
            .find(|(i, f)| **f < at && pairs[*i].1.is_none())
            .map(|(i, _)| i);
        match owner {
            Some(i) => pairs[i].1 = Some(file.clone()),
            None if pairs.iter().all(|(_, f)| f.is_some())
                && !pairs.iter().any(|(f, _)| *f == default) =>
            {
                pairs.push((default, Some(file.clone())))
            }
            None => {
                return Err(format!(
                    "--output-file {} follows no --format that still needs a file",
                    file.display()
                ));
            }
        }
    }
    if pairs.is_empty() {
        pairs.push((default, None));
    }
    if pairs.iter().filter(|(_, f)| f.is_none()).count() > 1 {
        return Err(
            "only one --format can go to standard output: give the others an --output-file".into(),
        );
    }
    Ok(pairs)
}

fn check(args: CheckArgs, matches: &ArgMatches, cwd: &Path) -> Result<ExitCode, String> {
    let config = load_config(&args.config, cwd)?;
    if args.show_config {
        print(&config.describe())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut stdin_text = String::new();
    let stdin_name = match (
        &args.stdin_filename,
        paths.iter().any(|p| p.as_os_str() == "-"),
    ) {
        (Some(name), true) => {
            std::io::stdin()
                .read_to_string(&mut stdin_text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            paths.retain(|p| p.as_os_str() != "-");
            paths.push(name.clone());
            Some(name.clone())
        }
        (None, true) => {
            return Err(
                "reading standard input (`-`) needs --stdin-filename to say which file it is"
                    .into(),
            );
        }
        (Some(_), false) => return Err("--stdin-filename goes with `-` as the path".into()),
        (None, false) => None,
    };
    let request = Request {
        paths: &paths,
        cwd,
        config: &config,
        stdin: stdin_name.as_deref().map(|n| (n, stdin_text.as_str())),
        keep_apps: false,
    };
    let analysis = run(&request)?;
    output::refuse_checked_files(
        args.output_file.iter().chain(&args.write_baseline),
        &analysis.sources,
    )?;
    let mut diagnostics = analysis.diagnostics;
    if let Some(path) = &args.write_baseline {
        Baseline::of(&analysis.sources, &diagnostics).write(path)?;
    }
    if let Some(path) = &args.baseline {
        let (new, stale) = Baseline::read(path)?.filter(&analysis.sources, diagnostics);
        diagnostics = new;
        if stale > 0 && !args.quiet {
            eprintln!(
                "entralint: {stale} finding(s) recorded in {} no longer occur; refresh it with --write-baseline",
                escape::line(&path.display().to_string())
            );
        }
    }

    let terminal = std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let style = Style {
        color,
        quiet: args.quiet,
    };
    for (format, file) in outputs(&args, matches, terminal)? {
        let human = matches!(format, Format::Text | Format::Concise) && file.is_none();
        let output = if args.statistics && human {
            statistics::render(&diagnostics)
        } else {
            report::render(
                format,
                &analysis.sources,
                &diagnostics,
                analysis.app_count,
                style,
            )
        };
        match file {
            Some(path) => output::write_atomically(&path, output.as_bytes())?,
            None => print(&output::for_stdout(output, human))?,
        }
    }
    let fail_on = match (args.exit_zero, args.fail_on) {
        (true, _) => FailOn::Never,
        (false, Some(FailOnArg::Error)) => FailOn::Error,
        (false, Some(FailOnArg::Warning)) => FailOn::Warning,
        (false, Some(FailOnArg::Info)) => FailOn::Info,
        (false, Some(FailOnArg::Never)) => FailOn::Never,
        (false, None) => config.fail_on.unwrap_or(FailOn::Error),
    };
    let failed = diagnostics.iter().any(|d| fail_on.fails(d.severity));
    // Every file's text and positions: the process ends now, and freeing them one by one would
    // take longer than the operating system takes to reclaim them.
    std::mem::forget(analysis.sources);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn execute(cli: Cli, matches: &ArgMatches) -> Result<ExitCode, String> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    match cli.command {
        Command::Check(args) => check(args, matches, &cwd),
        Command::Inspect {
            paths,
            format,
            config,
        } => {
            let config = load_config(&config, &cwd)?;
            let paths = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths
            };
            let analysis = run(&Request {
                paths: &paths,
                cwd: &cwd,
                config: &config,
                stdin: None,
                keep_apps: true,
            })?;
            let output = match format {
                ListFormat::Text => inspect_text::render(&analysis.sources, &analysis.apps),
                ListFormat::Json => inspect_json::render(&analysis.sources, &analysis.apps),
            };
            print(&output::for_stdout(
                output,
                matches!(format, ListFormat::Text),
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { format } => {
            let output = match format {
                ListFormat::Text => rules::ALL
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
                ListFormat::Json => {
                    let list: Vec<serde_json::Value> = rules::ALL
                        .iter()
                        .map(|r| serde_json::json!({ "id": r.id, "severity": r.default_severity().as_str(), "summary": r.summary(), "tags": r.tags() }))
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
