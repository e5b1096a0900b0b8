//! `report-review generate` (hidden): a reproducible batch for scale tests and benchmarks.

use crate::cli::output::outln;
use crate::fsutil::{write_atomic, Overwrite};
use crate::generate::{generate, Manifest};
use rayon::prelude::*;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output directory (created; must be empty or absent).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Number of reports.
    #[arg(long, default_value_t = 1000)]
    pub count: usize,
    /// Seed: the same seed gives the same batch.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Reports with one injected error, per thousand.
    #[arg(long, default_value_t = 100)]
    pub errors_per_mille: u64,
}

pub fn run(args: Args) -> u8 {
    if args.out.exists() && std::fs::read_dir(&args.out).map_or(true, |mut d| d.next().is_some()) {
        eprintln!(
            "report-review generate: {} exists and is not empty",
            args.out.display()
        );
        return 2;
    }
    let batch = generate(args.seed, args.count, args.errors_per_mille);
    let written: Result<(), String> = batch.par_iter().try_for_each(|(entry, report)| {
        let path = args.out.join(&entry.file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let json = serde_json::to_vec(report).map_err(|e| e.to_string())?;
        write_atomic(&path, &json, Overwrite::Never).map_err(|e| e.to_string())
    });
    if let Err(e) = written {
        eprintln!("report-review generate: {e}");
        return 1;
    }
    let manifest = Manifest {
        seed: args.seed,
        count: batch.len(),
        reports: batch.into_iter().map(|(e, _)| e).collect(),
    };
    let path = args.out.join("manifest.json");
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    if let Err(e) = write_atomic(&path, json.as_bytes(), Overwrite::Never) {
        eprintln!("report-review generate: {e}");
        return 1;
    }
    outln!(
        "generated {} reports in {}/reports (manifest.json beside it lists the injected errors)",
        manifest.count,
        args.out.display()
    );
    0
}
