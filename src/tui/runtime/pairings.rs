//! The pairings worker: writes `pairings.json` (an auditor's pairing choice) on a thread of
//! its own, so a slow or full disk never holds up the keys. The answer comes back on a
//! channel once the file is written (or as the line saying why not), so the screen says
//! "saved" only when it is.

use crate::batch::pairings_file;
use std::path::PathBuf;
use std::sync::mpsc;

/// Where the writes answer: done, or `path: reason`.
pub struct PairingsSaver {
    tx: mpsc::Sender<Result<(), String>>,
    pub rx: mpsc::Receiver<Result<(), String>>,
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
                let done = pairings_file::save(&p, &json).map_err(|e| failed(&p, &e));
                let _ = tx.send(done);
            });
        if let Err(e) = spawned {
            let _ = self.tx.send(Err(failed(&path, &e)));
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
            .expect("an answer")
            .expect_err("a failure");
        assert!(got.starts_with(&path.display().to_string()), "{got}");
    }

    #[test]
    fn a_write_that_works_answers_once_the_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("pairings.json");
        let saver = PairingsSaver::default();
        saver.submit(path.clone(), "{\"a\":1}".into());
        let got = saver
            .rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("an answer");
        assert_eq!(got, Ok(()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"a\":1}");
    }
}
