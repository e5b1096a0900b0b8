//! The auditor's pairing choices, kept beside the batch in `DIR/.report-review/pairings.json`:
//!
//! ```json
//! { "version": 1,
//!   "pairs": { "平潭综合实验区_2020.json": { "prev": "平潭综合实验区_2019.json" },
//!              "某局_2021.json": { "prev": null } } }
//! ```
//!
//! Keys and values are paths relative to `DIR`; `"prev": null` means "no previous year".
//! A missing file is an empty set of choices; a malformed one is ignored with a notice
//! (never a crash). Written whole to a temporary file and renamed.

use super::pairing::{pair, sort_pairs, Pair, PairHow};
use crate::model::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The previous year's report (relative path), or none.
    pub prev: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairings {
    pub version: u32,
    #[serde(default)]
    pub pairs: BTreeMap<String, Choice>,
}

impl Default for Pairings {
    fn default() -> Self {
        Pairings {
            version: 1,
            pairs: BTreeMap::new(),
        }
    }
}

impl Pairings {
    pub fn set(&mut self, cur: &str, prev: Option<String>) {
        self.pairs.insert(cur.to_string(), Choice { prev });
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into()) + "\n"
    }

    /// Read choices from JSON text; an error message when it cannot be used.
    pub fn parse(text: &str) -> Result<Pairings, String> {
        let p: Pairings = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if p.version != 1 {
            return Err(format!("unknown version {}", p.version));
        }
        Ok(p)
    }
}

/// Where the choices of the batch in `dir` are kept.
pub fn file(dir: &Path) -> PathBuf {
    dir.join(super::STATE_DIR).join("pairings.json")
}

/// Load the choices for `dir`: empty when there is no file; on a malformed file, empty and
/// a message naming it.
pub fn load(dir: &Path) -> (Pairings, Option<String>) {
    if !dir.is_dir() {
        // A single report was opened: no batch, no choices.
        return (Pairings::default(), None);
    }
    let path = file(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Pairings::default(), None),
        Err(e) => {
            return (
                Pairings::default(),
                Some(format!("{}: {e}; pairing choices ignored", path.display())),
            )
        }
    };
    match Pairings::parse(&text) {
        Ok(p) => (p, None),
        Err(e) => (
            Pairings::default(),
            Some(format!("{}: {e}; pairing choices ignored", path.display())),
        ),
    }
}

/// Write the choices (creating `.report-review/`), atomically by rename.
pub fn save(path: &Path, json: &str) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    crate::fsutil::write_atomic(path, json.as_bytes(), crate::fsutil::Overwrite::Replace)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

impl Pairings {
    /// Apply the choices to the automatic `pairs`: a chosen report replaces the automatic
    /// one, a "no previous year" choice removes it. `index_of` finds a readable entry by its
    /// file key (path relative to the batch directory); `report_of` gives its report.
    pub fn apply<'r>(
        &self,
        pairs: &mut Vec<Pair>,
        index_of: impl Fn(&str) -> Option<usize>,
        report_of: impl Fn(usize) -> Option<&'r Report>,
    ) {
        if self.pairs.is_empty() {
            return;
        }
        for (cur, choice) in &self.pairs {
            let Some(c) = index_of(cur) else { continue };
            pairs.retain(|p| p.cur != c);
            let Some(p) = choice.prev.as_deref().and_then(&index_of) else {
                continue;
            };
            if let (true, Some(prev), Some(cur)) = (p != c, report_of(p), report_of(c)) {
                pairs.push(pair((p, prev), (c, cur), PairHow::Manual));
            }
        }
        sort_pairs(pairs);
    }
}

/// The key a report is stored under in the choices: its path relative to the batch
/// directory, with `/` separators.
pub fn file_key(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_malformed_files() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), (Pairings::default(), None));
        let mut p = Pairings::default();
        p.set("b_2020.json", Some("a_2019.json".into()));
        p.set("c_2021.json", None);
        save(&file(dir.path()), &p.to_json()).unwrap();
        assert_eq!(load(dir.path()), (p, None));
        std::fs::write(file(dir.path()), "{ not json").unwrap();
        let (p, msg) = load(dir.path());
        assert_eq!(p, Pairings::default());
        assert!(msg.unwrap().contains("pairings.json"));
        std::fs::write(file(dir.path()), r#"{"version": 9, "pairs": {}}"#).unwrap();
        assert!(load(dir.path()).1.unwrap().contains("version 9"));
    }

    #[test]
    fn a_single_report_has_no_choices() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a_2020.json");
        std::fs::write(&f, "{}").unwrap();
        assert_eq!(load(&f), (Pairings::default(), None));
    }
}
