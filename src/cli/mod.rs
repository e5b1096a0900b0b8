//! Headless subcommands. Each module owns its clap arguments and a `run` returning the
//! process exit code (0 ok, 1 some input failed, 2 usage error).

pub mod check;
mod check_json;
pub mod compare;
pub mod followups;
pub mod generate;
pub mod import;
pub mod output;
