//! What a batch keeps resident per report for the cross-year rules, in a compact form.
//!
//! A loaded batch holds, per report, its identity ([`identity`]: agency, key, year,
//! template, source — what the list, pairing and the outputs read) and a [`CrossData`]: the
//! table cells the cross-year rules read (number, blank flag, line; the key as an index into
//! one table of keys shared by every report) and, for the repetition rules (X-DUP,
//! X-PROBLEMS-REPEAT), the normalised sentences of parts 一, 五 and 六 — no prose as printed.
//! The rules compare sentences by exact match and by character-bigram similarity, so a hash
//! per sentence would not give the same findings; the normalised text (punctuation, spaces
//! and stock phrases dropped, digits as `#`) is what they compare, computed once at load.
//!
//! For a pair, [`CrossData::to_report`] rebuilds the slim report the rules have always read
//! (same cells in the same order, same section lines), so the findings are those of the
//! full reports.

use super::codec::{put_bytes, Reader};
use crate::check::rules::cross::{self, Texts};
use crate::check::{cross_cell, FxBuild, CROSS_SECTIONS};
use crate::model::{Cell, Report, Row, Section, Table, Value};
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// Every cell key and cell text any report of this process kept, stored once: keys repeat
/// across reports (the same few dozen per template) and so do the printed amounts.
#[derive(Default)]
struct Keys {
    index: HashMap<&'static str, u32, FxBuild>,
    names: Vec<&'static str>,
}

static KEYS: LazyLock<RwLock<Keys>> = LazyLock::new(Default::default);

fn intern(key: &str) -> u32 {
    if let Some(&i) = KEYS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .index
        .get(key)
    {
        return i;
    }
    let mut keys = KEYS.write().unwrap_or_else(|e| e.into_inner());
    if let Some(&i) = keys.index.get(key) {
        return i;
    }
    // Leaked on purpose: a key is kept for the process's life, once, however many reports
    // name it.
    let name: &'static str = Box::leak(key.to_string().into_boxed_str());
    let i = keys.names.len() as u32;
    keys.names.push(name);
    keys.index.insert(name, i);
    i
}

fn text_of(i: u32) -> &'static str {
    KEYS.read().unwrap_or_else(|e| e.into_inner()).names[i as usize]
}

const BLANK: u8 = 1;
const NUMBER: u8 = 2;
/// The cell's row was recognised as a template row.
const RECOGNISED: u8 = 4;
/// Bits 3–4: the table holding the cell (0 = T2, 1 = T3, 2 = T4).
const TABLE_SHIFT: u8 = 3;

/// One kept cell: 24 bytes instead of a `Cell` with its strings (about 300).
#[derive(Debug, Clone, Copy, PartialEq)]
struct SlimCell {
    number: f64,
    line: u32,
    key: u32,
    /// The text as printed (interned): findings carry a digest of their operands' text.
    raw: u32,
    /// Ordinal of the cell's row in its table, among the rows kept.
    row: u16,
    flags: u8,
}

impl SlimCell {
    fn table(&self) -> usize {
        (self.flags >> TABLE_SHIFT & 3) as usize
    }
}

/// What the cross-year rules read of one report besides its identity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrossData {
    /// Bit per table present (T2, T3, T4): a rule tells "no table" from "no such cell".
    tables: u8,
    cells: Box<[SlimCell]>,
    /// Line of parts 一, 五 and 六 (the first section of each id), when present.
    section_lines: [Option<u32>; 3],
    /// Number of normalised sentences of each part, in `text`.
    counts: [u16; 3],
    /// The normalised sentences of parts 一, 五, 六 in order, each ended by `\n` (they hold
    /// only letters, digits as `#` — never a newline).
    text: Box<str>,
}

fn line32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

const TABLE_IDS: [&str; 3] = ["T2", "T3", "T4"];

impl CrossData {
    /// The cross-year data of a report whose text is cleaned (as the batch reads it).
    pub fn of(r: &Report) -> CrossData {
        let mut tables = 0u8;
        let mut cells = Vec::new();
        for (t, table) in [&r.table2, &r.table3, &r.table4].into_iter().enumerate() {
            let Some(table) = table else { continue };
            tables |= 1 << t;
            let mut row_no = 0u16;
            for row in &table.rows {
                let before = cells.len();
                for c in row.cells.iter().filter(|c| cross_cell(&c.key)) {
                    let mut flags = (t as u8) << TABLE_SHIFT;
                    if c.value.blank {
                        flags |= BLANK;
                    }
                    if c.value.number.is_some() {
                        flags |= NUMBER;
                    }
                    if row.recognised {
                        flags |= RECOGNISED;
                    }
                    cells.push(SlimCell {
                        number: c.value.number.unwrap_or(0.0),
                        line: line32(c.value.line),
                        key: intern(&c.key),
                        raw: intern(&c.value.raw),
                        row: row_no,
                        flags,
                    });
                }
                if cells.len() > before {
                    row_no = row_no.saturating_add(1);
                }
            }
        }
        let mut section_lines = [None; 3];
        let mut counts = [0u16; 3];
        let mut text = String::new();
        for (i, id) in CROSS_SECTIONS.iter().enumerate() {
            section_lines[i] = r.section(id).map(|s| line32(s.line));
            let sentences = cross::sentences(r, &[id]);
            counts[i] = u16::try_from(sentences.len()).unwrap_or(u16::MAX);
            for s in sentences.iter().take(counts[i] as usize) {
                text.push_str(s);
                text.push('\n');
            }
        }
        CrossData {
            tables,
            cells: cells.into_boxed_slice(),
            section_lines,
            counts,
            text: text.into_boxed_str(),
        }
    }

    /// The normalised sentences of parts 一, 五 and 六, as [`cross::texts_of`] gives them for
    /// the full report.
    pub fn texts(&self) -> Texts {
        let mut lines = self.text.split_terminator('\n').map(str::to_string);
        self.counts
            .map(|n| lines.by_ref().take(n as usize).collect::<Vec<String>>())
    }

    /// The slim report the cross-year rules read: `identity` with the kept cells (number,
    /// text, blank flag and line) and parts 一, 五, 六 as headings with
    /// their line only (their sentences come from [`CrossData::texts`]).
    pub fn to_report(&self, identity: &Report) -> Report {
        let mut out = Report {
            sections: Vec::new(),
            table2: None,
            table3: None,
            table4: None,
            ..identity.clone()
        };
        let mut tables: [Option<Table>; 3] = std::array::from_fn(|t| {
            (self.tables & (1 << t) != 0).then(|| Table {
                id: TABLE_IDS[t].to_string(),
                line: 0,
                rows: Vec::new(),
                extra_columns: Vec::new(),
            })
        });
        for c in self.cells.iter() {
            let Some(table) = tables[c.table().min(2)].as_mut() else {
                continue;
            };
            let row = c.row as usize;
            while table.rows.len() <= row {
                table.rows.push(Row {
                    key: String::new(),
                    label: String::new(),
                    recognised: c.flags & RECOGNISED != 0,
                    line: 0,
                    cells: Vec::new(),
                });
            }
            table.rows[row].cells.push(Cell {
                key: text_of(c.key).into(),
                value: Value {
                    number: (c.flags & NUMBER != 0).then_some(c.number),
                    unit: None,
                    raw: text_of(c.raw).into(),
                    blank: c.flags & BLANK != 0,
                    line: c.line as usize,
                    note: None,
                },
            });
        }
        let [t2, t3, t4] = tables;
        (out.table2, out.table3, out.table4) =
            (t2.map(Box::new), t3.map(Box::new), t4.map(Box::new));
        out.sections = CROSS_SECTIONS
            .iter()
            .zip(self.section_lines)
            .filter_map(|(id, line)| {
                Some(Section {
                    id: Some(id.to_string()),
                    number: String::new(),
                    heading: String::new(),
                    line: line? as usize,
                    lines: Vec::new(),
                })
            })
            .collect();
        out
    }

    /// A compact encoding for the result cache (keys written out; lengths checked on read).
    pub fn encode(&self, out: &mut Vec<u8>) -> Option<()> {
        out.push(self.tables);
        for l in self.section_lines {
            match l {
                Some(l) => {
                    out.push(1);
                    out.extend_from_slice(&l.to_le_bytes());
                }
                None => out.push(0),
            }
        }
        for n in self.counts {
            out.extend_from_slice(&n.to_le_bytes());
        }
        put_bytes(out, self.text.as_bytes())?;
        out.extend_from_slice(&(self.cells.len() as u32).to_le_bytes());
        for c in self.cells.iter() {
            put_bytes(out, text_of(c.key).as_bytes())?;
            put_bytes(out, text_of(c.raw).as_bytes())?;
            out.extend_from_slice(&c.number.to_bits().to_le_bytes());
            out.extend_from_slice(&c.line.to_le_bytes());
            out.extend_from_slice(&c.row.to_le_bytes());
            out.push(c.flags);
        }
        Some(())
    }

    /// The data [`CrossData::encode`] wrote, and the bytes after it; `None` when malformed.
    pub fn decode(bytes: &[u8]) -> Option<(CrossData, &[u8])> {
        let mut r = Reader(bytes);
        let tables = r.u8()?;
        let mut section_lines = [None; 3];
        for l in &mut section_lines {
            *l = match r.u8()? {
                0 => None,
                1 => Some(r.u32()?),
                _ => return None,
            };
        }
        let mut counts = [0u16; 3];
        for n in &mut counts {
            *n = r.u16()?;
        }
        let text: Box<str> = std::str::from_utf8(r.bytes()?).ok()?.into();
        let total: usize = counts.iter().map(|n| *n as usize).sum();
        if text.split_terminator('\n').count() != total {
            return None;
        }
        let n = r.u32()? as usize;
        let mut cells = Vec::with_capacity(n.min(r.0.len() / 23));
        for _ in 0..n {
            let key = intern(std::str::from_utf8(r.bytes()?).ok()?);
            let raw = intern(std::str::from_utf8(r.bytes()?).ok()?);
            cells.push(SlimCell {
                key,
                raw,
                number: f64::from_bits(r.u64()?),
                line: r.u32()?,
                row: r.u16()?,
                flags: r.u8()?,
            });
        }
        let data = CrossData {
            tables,
            cells: cells.into_boxed_slice(),
            section_lines,
            counts,
            text,
        };
        Some((data, r.rest()))
    }
}

/// A report's identity without its content: what the list, its search, pairing, waivers
/// and the batch outputs read (agency, issuer, key, year, template, source), in fresh allocations so the full
/// report's memory is given back when it is dropped.
pub fn identity(r: &Report) -> Report {
    identity_of(Identity {
        schema_version: r.schema_version,
        source: r.source.clone(),
        agency: r.agency.clone(),
        issuer: r.issuer.clone(),
        agency_key: r.agency_key.clone(),
        year: r.year,
        template: r.template,
    })
}

/// What identifies a report, all the list, pairing, waivers and outputs read of it.
pub struct Identity {
    pub schema_version: u32,
    pub source: crate::model::SourceInfo,
    pub agency: String,
    pub issuer: Option<String>,
    pub agency_key: String,
    pub year: Option<i32>,
    pub template: crate::model::Template,
}

/// A report holding its identity only (no text, tables or notes).
pub fn identity_of(id: Identity) -> Report {
    Report {
        schema_version: id.schema_version,
        source: id.source,
        title: None,
        agency: id.agency,
        issuer: id.issuer,
        agency_key: id.agency_key,
        year: id.year,
        template: id.template,
        template_signals: Vec::new(),
        published: None,
        preamble: Vec::new(),
        sections: Vec::new(),
        table2: None,
        table3: None,
        table4: None,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check_pair, check_pair_with, Config};
    use crate::i18n::Lang;

    #[test]
    fn rebuilt_reports_give_the_findings_of_the_full_reports() {
        let reports: Vec<Report> = crate::generate::generate(7, 80, 300)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let config = Config::default();
        let mut compared = 0;
        for prev in &reports {
            for cur in reports.iter().filter(|c| c.agency_key == prev.agency_key) {
                let full = check_pair(prev, cur, &config, Lang::Zh);
                let (p, c) = (CrossData::of(prev), CrossData::of(cur));
                let (pi, ci) = (identity(prev), identity(cur));
                let slim = check_pair_with(
                    &p.to_report(&pi),
                    &c.to_report(&ci),
                    &p.texts(),
                    &c.texts(),
                    &config,
                    Lang::Zh,
                );
                assert_eq!(full, slim, "{} → {}", prev.key(), cur.key());
                compared += full.len();
            }
        }
        assert!(compared > 0, "no cross-year finding compared");
    }

    #[test]
    fn the_cache_encoding_reads_back_and_rejects_cut_bytes() {
        let r = crate::generate::generate(3, 2, 1).remove(0).1;
        let d = CrossData::of(&r);
        assert!(!d.cells.is_empty() && !d.text.is_empty());
        let mut bytes = Vec::new();
        d.encode(&mut bytes).unwrap();
        bytes.extend_from_slice(b"rest");
        let (back, rest) = CrossData::decode(&bytes).expect("decodes");
        assert_eq!((back, rest), (d, &b"rest"[..]));
        for cut in [0, 1, 5, 20, bytes.len() - 5] {
            assert!(CrossData::decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
    }
}
