//! PDF import benchmark: milliseconds per report for each of the three real PDFs (and their
//! `pdftotext -layout` text), then 1,000 PDF imports spread over two threads (the machine
//! the program targets has two cores), from memory so the figure is the reader's, not the
//! disk's.
//!
//! Run: `cargo bench --bench pdf` (about ten seconds once built).

use rayon::prelude::*;
use report_review::import::import_bytes;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const FILES: [&str; 3] = [
    "huaian_hongzequ_2023",
    "huaian_hongzequ_2024",
    "huaian_shi_2024",
];

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/real/pdf");
    let mut pdfs: Vec<(String, Vec<u8>)> = Vec::new();
    println!("{:<40} {:>10} {:>12}", "file", "KB", "ms/import");
    for stem in FILES {
        for ext in ["pdf", "layout.txt"] {
            let name = format!("{stem}.{ext}");
            let bytes = std::fs::read(dir.join(&name)).expect("real report");
            let per = per_import(&name, &bytes);
            println!(
                "{:<40} {:>10.0} {:>12.2}",
                name,
                bytes.len() as f64 / 1024.0,
                per.as_secs_f64() * 1000.0
            );
            if ext == "pdf" {
                pdfs.push((name, bytes));
            }
        }
    }

    let n = 1000;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    let start = Instant::now();
    let imported = pool.install(|| {
        (0..n)
            .into_par_iter()
            .filter(|i| {
                let (name, bytes) = &pdfs[i % pdfs.len()];
                import_bytes(name, bytes).is_ok()
            })
            .count()
    });
    let wall = start.elapsed();
    assert_eq!(imported, n, "every PDF imports");
    println!(
        "{n} PDFs on 2 threads: {:.2} s wall, {:.2} ms per report",
        wall.as_secs_f64(),
        wall.as_secs_f64() * 1000.0 / n as f64
    );
}

/// Mean time of one import over enough runs to fill about half a second.
fn per_import(name: &str, bytes: &[u8]) -> Duration {
    import_bytes(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < Duration::from_millis(500) || runs < 3 {
        import_bytes(name, bytes).expect("imports");
        runs += 1;
    }
    start.elapsed() / runs
}
