use clap::{Parser, Subcommand};
use report_review::cli;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: see Cargo.toml.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Review batches of Chinese government information-disclosure annual reports
/// (政府信息公开工作年度报告): import, check, and step through them in the terminal.
#[derive(Parser)]
#[command(name = "report-review", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Directory of reports to open in the review TUI (parsed JSON and raw .txt/.html/.pdf/.docx).
    dir: Option<PathBuf>,
    /// Review screen: capture the mouse (wheel scrolling). Off by default because capture
    /// breaks copy-by-selection in SSH clients.
    #[arg(long)]
    mouse: bool,
    /// Review screen: no colours (as with the NO_COLOR environment variable).
    #[arg(long)]
    no_color: bool,
    /// Message language, for the review screen and for a subcommand named after it
    /// (`report-review --lang zh check DIR`): zh or en (default from LC_ALL / LC_MESSAGES /
    /// LANG).
    #[arg(long, value_name = "zh|en")]
    lang: Option<String>,
    /// Review screen: follow-up store to use (default DIR/.report-review/review.sqlite).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Review screen: rule configuration (TOML; see docs/rules.md), as for `check --config`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Review screen: read and check every report again, without the result cache in
    /// DIR/.report-review/cache.sqlite (which is then neither read nor written), as for
    /// `check --no-cache`.
    #[arg(long)]
    no_cache: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Parse raw reports (.txt text dumps, .htm/.html pages, .pdf, .docx) into JSON files.
    Import(cli::import::Args),
    /// Run the rule catalogue on every report under DIR; exit 1 when any report fails.
    Check(cli::check::Args),
    /// Compare last year's report with this year's, cell by cell.
    Compare(cli::compare::Args),
    /// Follow-up marks shared by the reviewers of a batch: list, history, export, mark.
    Followups(Box<cli::followups::Args>),
    /// Generate a reproducible synthetic batch with a manifest of injected errors.
    #[command(hide = true)]
    Generate(cli::generate::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // `--lang` is checked wherever it is given, and one given before the subcommand is
    // the subcommand's unless it has its own.
    let lang = match report_review::i18n::Lang::from_arg(cli.lang.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("report-review: {e}");
            return ExitCode::from(2);
        }
    };
    let inherit = |own: &mut Option<String>| {
        if own.is_none() {
            own.clone_from(&cli.lang);
        }
    };
    let mut command = cli.command;
    match &mut command {
        Some(Command::Check(a)) => inherit(&mut a.lang),
        Some(Command::Compare(a)) => inherit(&mut a.lang),
        Some(Command::Followups(a)) => inherit(&mut a.lang),
        Some(Command::Import(_) | Command::Generate(_)) | None => {}
    }
    let code = match command {
        Some(Command::Import(args)) => cli::import::run(args),
        Some(Command::Check(args)) => cli::check::run(args),
        Some(Command::Compare(args)) => cli::compare::run(args),
        Some(Command::Followups(args)) => cli::followups::run(*args),
        Some(Command::Generate(args)) => cli::generate::run(args),
        None => match cli.dir {
            Some(dir) => {
                let config = match report_review::check::Config::from_option(cli.config.as_deref())
                {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("report-review: {e}");
                        return ExitCode::from(2);
                    }
                };
                let options = report_review::tui::Options {
                    mouse: cli.mouse,
                    no_color: cli.no_color,
                    lang,
                    keys_file: None,
                    db: cli.db,
                    config,
                    no_cache: cli.no_cache,
                };
                match report_review::tui::run(dir, options) {
                    Ok(code) => code,
                    Err(e) => {
                        eprintln!("report-review: {e:#}");
                        2
                    }
                }
            }
            None => {
                eprintln!(
                    "report-review: give a directory of reports, or a subcommand (see --help)"
                );
                2
            }
        },
    };
    ExitCode::from(code)
}
