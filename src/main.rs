//! The command line: parses arguments, runs the pipeline, prints, and maps the outcome to an
//! exit code (0 clean, 1 findings at or above the failure threshold, 2 usage, configuration or
//! internal error).

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use entralint::baseline::Baseline;
use entralint::config::FailOn;
use entralint::fix::Applicability;
use entralint::fix::cli::check_with_fixes;
use entralint::output;
use entralint::pipeline::run_candidates;
use entralint::report::{self, Format, Style, escape, inspect_json, inspect_text, statistics};
use entralint::rules;
use entralint::session::{self, ConfigSource};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Every command's help ends with its exit codes (what 0 and 1 mean differs; 2 is always a
/// usage, configuration or internal error) and two examples.
macro_rules! after_help {
    ($codes:literal, $examples:literal) => {
        concat!(
            "Exit codes:\n",
            $codes,
            "  2  usage, configuration or internal error\n\n",
            "Examples:\n",
            $examples,
            "\n"
        )
    };
}

#[derive(Parser)]
#[command(
    name = "entralint",
    version,
    about = "Finds the settings that make apps reject valid Microsoft Entra ID, Azure AD B2C and External ID tokens, or accept tokens they should not.",
    after_help = after_help!(
        "  0  success (check: nothing at or above the failure threshold; token: an app accepts the token)\n  1  check: findings at or above the failure threshold; token: no app accepts the token\n",
        "  entralint check                      Check the current folder
  entralint explain graph-audience     Read why a rule fires and how to fix it")
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint configuration files (default: the current folder; `-` reads --stdin-filename from standard input).
    #[command(after_help = after_help!(
        "  0  nothing at or above the failure threshold (always with --exit-zero or --write-baseline)\n  1  findings at or above the failure threshold\n",
        "  entralint check src/ --format sarif -o entralint.sarif --format concise
  git show :appsettings.json | entralint check - --stdin-filename appsettings.json"))]
    Check(CheckArgs),
    /// Print what each app's framework will really use: authority, metadata address, signing keys, issuers, audiences.
    #[command(after_help = after_help!(
        "  0  the apps were listed\n",
        "  entralint inspect src/Api
  entralint inspect --format json | jq '.apps[].authority'"))]
    Inspect {
        /// Files and folders to inspect (default: the current folder).
        #[arg(value_name = "PATHS")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        threads: ThreadArgs,
    },
    #[command(about = entralint::token::ABOUT, long_about = entralint::token::LONG_ABOUT)]
    #[command(after_help = after_help!(
        "  0  at least one app under PATHS accepts the token\n  1  every app rejects the token, or no app that validates access tokens was found\n",
        "  entralint token src/Api --token-file failing-token.txt
  pbpaste | entralint token --keys saved-jwks.json --format json"))]
    Token {
        #[command(flatten)]
        args: entralint::token::TokenArgs,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// List the rules with their default severity, tags and summary.
    #[command(after_help = after_help!(
        "  0  the rules were listed\n",
        "  entralint rules
  entralint rules --format json | jq -r '.[] | select(.tags | index(\"security\")) | .id'"))]
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    #[command(after_help = after_help!(
        "  0  the rule's documentation was printed (an unknown id is a usage error)\n",
        "  entralint explain graph-audience
  entralint explain b2c-legacy-host | less"))]
    Explain {
        /// The rule id (`entralint rules` lists them).
        #[arg(value_name = "RULE")]
        rule: String,
    },
    /// Print a shell completion script.
    #[command(after_help = after_help!(
        "  0  the script was printed\n",
        "  entralint completions bash > ~/.local/share/bash-completion/completions/entralint
  entralint completions zsh > \"${fpath[1]}/_entralint\""))]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = after_help!(
        "  0  the page was printed\n",
        "  entralint man > /usr/local/share/man/man1/entralint.1
  entralint man | man -l -"))]
    Man {
        /// Print only this command's page, entralint-COMMAND(1) (default: every page, the main one first).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    /// Run the language server over standard input and output (diagnostics, hover, fixes).
    #[command(after_help = after_help!(
        "  0  the editor shut the server down\n",
        "  entralint server                     Started by the editor, not by hand
  nvim: vim.lsp.start({ name = 'entralint', cmd = { 'entralint', 'server' } })"))]
    Server,
}

#[derive(clap::Args)]
struct ConfigArgs {
    /// Use this configuration file for every path instead of each path's nearest entralint.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
}

#[derive(clap::Args)]
struct ThreadArgs {
    /// Threads that read and check files (default: one per core). Output does not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files and folders to check (default: the current folder; `-` for standard input).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// Output format; repeat it, each followed by its own --output-file, to write several (default: text on a terminal, concise otherwise).
    #[arg(long, value_enum, action = clap::ArgAction::Append)]
    format: Vec<Format>,
    /// Write the --format just before it to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH", action = clap::ArgAction::Append)]
    output_file: Vec<PathBuf>,
    /// Check only these rules: ids, id prefixes (`b2c-`) or tags (`security`), comma-separated; replaces `select` of entralint.toml.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// Add rules to those selected (ids, id prefixes or tags).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Skip these rules (ids, id prefixes or tags), on top of `ignore` of entralint.toml.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// The lowest severity that fails the run (default: error, or fail-on from entralint.toml).
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Exit 0 whatever is found (same as --fail-on never).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only: no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings each rule produced instead of the findings (text, concise or json).
    #[arg(long)]
    statistics: bool,
    /// Colour the text format: auto follows NO_COLOR, CLICOLOR_FORCE, FORCE_COLOR and whether standard output is a terminal.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorArg,
    /// How concise counts columns: characters, or UTF-16 code units as VS Code and SARIF do.
    #[arg(long, value_enum, default_value = "character", value_name = "UNIT")]
    column_unit: ColumnUnit,
    #[command(flatten)]
    config: ConfigArgs,
    /// Print which configuration file applies to each path, and the configuration in effect, then exit.
    #[arg(long)]
    show_config: bool,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file, and exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// The path of the file read from standard input (with `-` as the path).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    threads: ThreadArgs,
    /// Apply safe fixes in place, then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: also apply fixes that change behaviour beyond the finding.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there are any).
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    /// Errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
    /// Every finding fails the run.
    Info,
    /// Nothing fails the run.
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    /// NO_COLOR, then CLICOLOR_FORCE and FORCE_COLOR, then whether standard output is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColumnUnit {
    /// Unicode characters (scalar values), 1-based.
    Character,
    /// UTF-16 code units, 1-based: what VS Code and SARIF count.
    Utf16,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    /// For people.
    Text,
    /// A versioned document, for scripts.
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

fn config_source(args: &ConfigArgs) -> ConfigSource<'_> {
    match (&args.config, args.isolated) {
        (Some(file), _) => ConfigSource::File(file),
        (None, true) => ConfigSource::Defaults,
        (None, false) => ConfigSource::Discover,
    }
}

fn start_threads(args: &ThreadArgs) -> Result<(), String> {
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    }
    Ok(())
}

fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// Pairs each --output-file with the --format just before it; formats without a file go to
/// standard output (at most one). A file that follows no format of its own is a usage error:
/// writing some default format into it would surprise.
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
        let owner = format_at.iter().rposition(|f| *f < at);
        match owner {
            Some(i) if pairs[i].1.is_none() => pairs[i].1 = Some(file.clone()),
            _ => {
                return Err(format!(
                    "--output-file {} needs its own --format just before it (for example `--format sarif --output-file {}`)",
                    file.display(),
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

/// Colour for the text format. `auto`: never with NO_COLOR, always with CLICOLOR_FORCE or
/// FORCE_COLOR (as anstream reads them), else on a terminal.
fn use_color(choice: ColorArg, terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            let forced = std::env::var_os("FORCE_COLOR")
                .is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
            !anstyle_query::no_color() && (anstyle_query::clicolor_force() || forced || terminal)
        }
    }
}

fn check(args: CheckArgs, matches: &ArgMatches, cwd: &Path) -> Result<ExitCode, String> {
    start_threads(&args.threads)?;
    let terminal = std::io::stdout().is_terminal();
    let outputs = outputs(&args, matches, terminal)?;
    if args.statistics
        && let Some((format, _)) = outputs
            .iter()
            .find(|(f, _)| !matches!(f, Format::Text | Format::Concise | Format::Json))
    {
        return Err(format!(
            "--statistics prints counts as text or JSON, not as {}",
            format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string())
        ));
    }
    let mut paths = paths_or_here(&args.paths);
    let mut stdin_text = String::new();
    let stdin_name = match (
        &args.stdin_filename,
        paths.iter().any(|p| p.as_os_str() == "-"),
    ) {
        (Some(name), true) => {
            std::io::stdin()
                .read_to_string(&mut stdin_text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            let name = entralint::source::normalize(name);
            paths.retain(|p| p.as_os_str() != "-");
            paths.push(name.clone());
            Some(name)
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
    let mut groups = session::groups(&paths, cwd, config_source(&args.config))?;
    for group in &mut groups {
        group
            .config
            .apply_selection(&args.select, &args.extend_select, &args.ignore)?;
    }
    if args.show_config {
        print(&output::for_stdout(session::describe(&groups), true))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err("--unsafe-fixes goes with --fix or --diff".into());
    }
    let allowed = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let fixing = args.fix || args.diff;
    let (mut diff, mut fixes, mut files) = (String::new(), 0, 0);
    let analysis = session::check(
        &groups,
        cwd,
        stdin_name.as_deref().map(|n| (n, stdin_text.as_str())),
        &|config| config.apply_selection(&args.select, &args.extend_select, &args.ignore),
        &mut |request, candidates| {
            if !fixing {
                return run_candidates(request, candidates);
            }
            let fixed = check_with_fixes(request, candidates, allowed, args.fix)?;
            for refused in &fixed.refused {
                eprintln!("entralint: {}", escape::line(refused));
            }
            diff.push_str(&fixed.diff);
            fixes += fixed.fixes;
            files += fixed.files;
            Ok(fixed.analysis)
        },
    )?;
    if args.diff {
        print(&output::for_stdout(diff, true))?;
        eprintln!("entralint: {fixes} fix(es) in {files} file(s) would be applied");
        return Ok(ExitCode::from(u8::from(fixes > 0)));
    }
    if args.fix && !args.quiet {
        eprintln!("entralint: fixed {fixes} finding(s) in {files} file(s)");
    }
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

    // The first configuration's threshold: a run over several configurations that disagree
    // takes the one of the first path, unless --fail-on says otherwise.
    let configured = groups.first().and_then(|g| g.config.fail_on);
    let fail_on = match (args.exit_zero, args.fail_on) {
        (true, _) => FailOn::Never,
        (false, Some(FailOnArg::Error)) => FailOn::Error,
        (false, Some(FailOnArg::Warning)) => FailOn::Warning,
        (false, Some(FailOnArg::Info)) => FailOn::Info,
        (false, Some(FailOnArg::Never)) => FailOn::Never,
        (false, None) => configured.unwrap_or(FailOn::Error),
    };
    let style = Style {
        color: use_color(args.color, terminal),
        quiet: args.quiet,
        fail_on,
        utf16_columns: matches!(args.column_unit, ColumnUnit::Utf16),
    };
    for (format, file) in outputs {
        // Text for people (GitHub Actions fences it): the human formats and the statistics table.
        let human = matches!(format, Format::Text | Format::Concise)
            || (args.statistics && format != Format::Json);
        let output = match (args.statistics, format) {
            (true, Format::Json) => statistics::render_json(&diagnostics),
            (true, _) => statistics::render(&diagnostics, &analysis.apps_by_stack),
            (false, _) => report::render(
                format,
                &analysis.sources,
                &diagnostics,
                analysis.app_count,
                style,
            ),
        };
        match file {
            Some(path) => output::write_atomically(&path, output.as_bytes())?,
            None => print(&output::for_stdout(output, human))?,
        }
    }
    // Writing a baseline accepts what was found: the run succeeded.
    let failed =
        args.write_baseline.is_none() && diagnostics.iter().any(|d| fail_on.fails(d.severity));
    // Every file's text and positions: the process ends now, and freeing them one by one would
    // take longer than the operating system takes to reclaim them.
    std::mem::forget(analysis.sources);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn inspect(
    paths: &[PathBuf],
    format: ListFormat,
    config: &ConfigArgs,
    cwd: &Path,
) -> Result<ExitCode, String> {
    let groups = session::groups(&paths_or_here(paths), cwd, config_source(config))?;
    let mut rendered = Vec::new();
    // Apps point into their run's files, so each configuration's apps are rendered with them.
    for analysis in session::analyses(&groups, cwd, None, true, &|_| Ok(()))? {
        rendered.push(match format {
            ListFormat::Text => inspect_text::render(&analysis.sources, &analysis.apps),
            ListFormat::Json => inspect_json::render(&analysis.sources, &analysis.apps),
        });
    }
    let output = match format {
        ListFormat::Json if rendered.len() > 1 => {
            let mut apps = Vec::new();
            for one in &rendered {
                let parsed: serde_json::Value =
                    serde_json::from_str(one).map_err(|e| format!("internal error: {e}"))?;
                apps.extend(parsed["apps"].as_array().cloned().unwrap_or_default());
            }
            let merged = serde_json::json!({ "version": report::json::VERSION, "apps": apps });
            serde_json::to_string_pretty(&merged).unwrap_or_default() + "\n"
        }
        _ => rendered.concat(),
    };
    print(&output::for_stdout(
        output,
        matches!(format, ListFormat::Text),
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn explain(rule: &str) -> Result<ExitCode, String> {
    if let Some(found) = rules::find(rule) {
        print(found.body())?;
        return Ok(ExitCode::SUCCESS);
    }
    // A prefix or a tag names several rules; a misspelt id, the closest one.
    let hint = match rules::select(rule) {
        Ok(ids) => format!("did you mean {}?", ids.join(", ")),
        Err(_) => match rules::suggest(rule) {
            Some(id) => format!("did you mean {id}?"),
            None => "run `entralint rules` for the list".to_string(),
        },
    };
    Err(format!("unknown rule '{rule}': {hint}"))
}

fn list_rules(format: ListFormat) -> String {
    match format {
        ListFormat::Text => rules::ALL
            .iter()
            .map(|r| {
                format!(
                    "{:<28} {:<8} {:<36} {}\n",
                    r.id,
                    r.default_severity().as_str(),
                    r.tags().join(","),
                    r.summary()
                )
            })
            .collect(),
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules::ALL
                .iter()
                .map(|r| serde_json::json!({ "id": r.id, "name": r.name(), "severity": r.default_severity().as_str(), "summary": r.summary(), "tags": r.tags() }))
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
    }
}

fn execute(cli: Cli, matches: &ArgMatches) -> Result<ExitCode, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    match cli.command {
        Command::Check(args) => check(args, matches, &cwd),
        Command::Server => entralint::server::serve().map(|()| ExitCode::SUCCESS),
        Command::Inspect {
            paths,
            format,
            config,
            threads,
        } => {
            start_threads(&threads)?;
            inspect(&paths, format, &config, &cwd)
        }
        Command::Token { args, config } => {
            let groups =
                session::groups(&paths_or_here(&args.paths), &cwd, config_source(&config))?;
            let outcome = entralint::token::execute(&args, &cwd, &groups)?;
            for note in &outcome.notes {
                eprintln!("entralint: note: {}", escape::line(note));
            }
            print(&output::for_stdout(
                outcome.output,
                args.format == entralint::token::TokenFormat::Text,
            ))?;
            Ok(ExitCode::from(outcome.exit_code))
        }
        Command::Rules { format } => {
            print(&list_rules(format))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => explain(&rule),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "entralint", &mut script);
            print(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { command } => print(&manual(command.as_deref())?).map(|()| ExitCode::SUCCESS),
    }
}

/// The manual pages in roff: entralint(1) and, for each command, entralint-COMMAND(1), which
/// the main page refers to; or the page of `command` alone.
fn manual(command: Option<&str>) -> Result<String, String> {
    let main = Cli::command();
    let pages: Vec<clap::Command> = match command {
        None => std::iter::once(main.clone())
            .chain(main.get_subcommands().map(command_page))
            .collect(),
        Some(name) => {
            let Some(sub) = main.find_subcommand(name) else {
                let names: Vec<&str> = main
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .collect();
                return Err(format!(
                    "no command '{name}': the commands are {}",
                    names.join(", ")
                ));
            };
            vec![command_page(sub)]
        }
    };
    let mut roff = Vec::new();
    for page in pages {
        clap_mangen::Man::new(page)
            .render(&mut roff)
            .map_err(|e| format!("cannot render the manual page: {e}"))?;
    }
    Ok(String::from_utf8_lossy(&roff).into_owned())
}

/// A command as its own page, named as the main page's SUBCOMMANDS section refers to it.
fn command_page(sub: &clap::Command) -> clap::Command {
    let name = format!("entralint-{}", sub.get_name());
    sub.clone()
        .name(name)
        .bin_name(format!("entralint {}", sub.get_name()))
        .version(env!("CARGO_PKG_VERSION"))
}
