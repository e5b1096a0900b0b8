use clap::{Parser, Subcommand};
use report_review::cli;
use std::path::PathBuf;
use std::process::ExitCode;

/// Review batches of Chinese government information-disclosure annual reports
/// (政府信息公开工作年度报告): import, check, and step through them in the terminal.
#[derive(Parser)]
#[command(name = "report-review", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Directory of reports to open in the review TUI (parsed JSON and raw .txt/.html).
    dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Parse raw reports (.txt text dumps, .htm/.html pages) into JSON files.
    Import(cli::import::Args),
    /// Compare last year's report with this year's, cell by cell.
    Compare(cli::compare::Args),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Some(Command::Import(args)) => cli::import::run(args),
        Some(Command::Compare(args)) => cli::compare::run(args),
        None => match cli.dir {
            Some(_dir) => {
                eprintln!("report-review: the review screen is not available in this build");
                2
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

/// Let `report-review check DIR | head` end quietly, as command-line tools do, instead of
/// panicking on a closed pipe.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
