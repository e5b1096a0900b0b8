//! The pairings worker: writes `pairings.json` (an auditor's pairing choice) on a thread of
//! its own, so a slow or full disk never holds up the keys. A failure comes back on a channel
//! as the line the status bar shows.

use crate::batch::pairings_file;
use std::path::PathBuf;
use std::sync::mpsc;

/// Where the writes answer: only failures, as `path: reason`.
pub struct PairingsSaver {
    tx: mpsc::Sender<String>,
    pub rx: mpsc::Receiver<String>,
}

impl Default for PairingsSaver {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        PairingsSaver { tx, rx }
    }
}

impl PairingsSaver {
    /// Write `json` to `path` (atomically, beside it) on a short-lived thread.
    pub fn submit(&self, path: PathBuf, json: String) {
        let tx = self.tx.clone();
        let failed = |path: &PathBuf, e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let p = path.clone();
        let spawned = std::thread::Builder::new()
            .name("pairings".into())
            .spawn(move || {
                if let Err(e) = pairings_file::save(&p, &json) {
                    let _ = tx.send(failed(&p, &e));
                }
            });
        if let Err(e) = spawned {
            let _ = self.tx.send(failed(&path, &e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_answers_with_the_path_and_reason() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: the rename over it fails.
        let path = dir.path().join("pairings.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("x"), "keep").unwrap();
        let saver = PairingsSaver::default();
        saver.submit(path.clone(), "{}".into());
        let got = saver
            .rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("a failure answer");
        assert!(got.starts_with(&path.display().to_string()), "{got}");
    }

    #[test]
    fn a_write_that_works_writes_the_file_and_answers_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("pairings.json");
        let saver = PairingsSaver::default();
        saver.submit(path.clone(), "{\"a\":1}".into());
        let start = std::time::Instant::now();
        while !path.exists() && start.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"a\":1}");
        assert!(saver.rx.try_recv().is_err());
    }
}
