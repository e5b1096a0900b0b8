//! Stable keys, parsed and printed in one place (the scheme of docs/architecture.md and
//! docs/templates.md): a report `余姚市三七市镇/2020`, a cell `T3.R3_7.C1` / `T4.review.total` /
//! `T2.a1.规章.made`, a section `S6`, a prose sentence `S1:L12`, metadata `META.date`, a text
//! fact `TXT.…`, last year's cell `prev:T3.R4.C1`, and a repeated finding location `…#2`.
//!
//! Parsing borrows from the key (no allocation), so hot paths can use it.

use std::fmt;

/// The three tables of the templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    T2,
    T3,
    T4,
}

impl TableId {
    pub const ALL: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

    pub fn as_str(self) -> &'static str {
        match self {
            TableId::T2 => "T2",
            TableId::T3 => "T3",
            TableId::T4 => "T4",
        }
    }

    pub fn parse(s: &str) -> Option<TableId> {
        match s {
            "T2" => Some(TableId::T2),
            "T3" => Some(TableId::T3),
            "T4" => Some(TableId::T4),
            _ => None,
        }
    }

    /// The table a cell or row key belongs to (`T3.R1.C7` → T3).
    pub fn of(key: &str) -> Option<TableId> {
        TableId::parse(key.split_once('.').map_or(key, |(t, _)| t))
    }
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A table cell: `T3.R3_7.C1` (row `R3_7`, column `C1`), `T4.review.total`, and in table 2
/// a row of two parts, `T2.a1.规章.made` (group `a1`, item `规章`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellKey<'a> {
    pub table: TableId,
    pub row: &'a str,
    pub col: &'a str,
}

impl<'a> CellKey<'a> {
    pub fn parse(key: &'a str) -> Option<CellKey<'a>> {
        // Read by bytes ('.', '#' and ':' are ASCII, so every cut is on a char boundary):
        // this runs for every key a rule names and every cell a batch keeps.
        let first = key.bytes().position(|b| b == b'.')?;
        let table = TableId::parse(&key[..first])?;
        let rest = &key[first + 1..];
        let last = rest.bytes().rposition(|b| b == b'.')?;
        let (row, col) = (&rest[..last], &rest[last + 1..]);
        if row.is_empty() || col.is_empty() || col.bytes().any(|b| b == b'#' || b == b':') {
            return None;
        }
        Some(CellKey { table, row, col })
    }

    /// The row's group: table 2's sub-table (`a1` of `a1.规章`), else the row itself.
    pub fn group(&self) -> &'a str {
        row_group(self.row)
    }
}

/// The column of a cell key, its last part (`T3.R3_7.C1` → `C1`); the whole text without a `.`.
pub fn column_of(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// A row key's group: table 2's sub-table (`a1` of `a1.规章`), else the row itself.
pub fn row_group(row: &str) -> &str {
    row.split_once('.').map_or(row, |(g, _)| g)
}

/// A table-2 row key's item (`规章` of `a1.规章`), else the row itself.
pub fn row_item(row: &str) -> &str {
    row.split_once('.').map_or(row, |(_, item)| item)
}

/// The row a repeated copy repeats (`R3_1` of `R3_1#2`, kept by the importer when a row is
/// printed twice).
pub fn base_row(row: &str) -> &str {
    row.split('#').next().unwrap_or(row)
}

impl fmt::Display for CellKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}.{}", self.table, self.row, self.col)
    }
}

impl From<CellKey<'_>> for String {
    fn from(k: CellKey<'_>) -> String {
        k.to_string()
    }
}

/// The report key: normalised agency name and year (`余姚市三七市镇/2020`; `…/?` when the year
/// is unknown).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportKey<'a> {
    pub agency: &'a str,
    pub year: Option<i32>,
}

impl<'a> ReportKey<'a> {
    /// Read a report key; the agency is everything before the last `/`.
    pub fn parse(key: &'a str) -> ReportKey<'a> {
        match key.rsplit_once('/') {
            Some((agency, year)) => ReportKey {
                agency,
                year: year.parse().ok(),
            },
            None => ReportKey {
                agency: key,
                year: None,
            },
        }
    }
}

impl fmt::Display for ReportKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{}/{y}", self.agency),
            None => write!(f, "{}/?", self.agency),
        }
    }
}

/// `S1` … `S99`.
pub fn is_section_id(s: &str) -> bool {
    s.len() >= 2 && s.starts_with('S') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Where a finding points (its `location`, without a `#n` repeat suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location<'a> {
    Cell(CellKey<'a>),
    /// A whole table or one row of it (`T3`, `T3.R3_7`).
    Table {
        table: TableId,
        row: Option<&'a str>,
    },
    /// A section (`S6`), or a sentence of it at a source line (`S1:L12`).
    Section {
        id: &'a str,
        line: Option<usize>,
    },
    /// Report metadata: `META.date`, `META.template`.
    Meta(&'a str),
    /// A text fact: `TXT.…`.
    Text(&'a str),
    /// Anything else, as written.
    Other(&'a str),
}

impl<'a> Location<'a> {
    pub fn parse(loc: &'a str) -> Location<'a> {
        let loc = without_repeat(loc);
        if let Some(name) = loc.strip_prefix("META.") {
            return Location::Meta(name);
        }
        if let Some(name) = loc.strip_prefix("TXT.") {
            return Location::Text(name);
        }
        let (head, line) = match loc.split_once(':') {
            Some((h, rest)) => (h, rest.strip_prefix('L').and_then(|n| n.parse().ok())),
            None => (loc, None),
        };
        if is_section_id(head) {
            return Location::Section { id: head, line };
        }
        if let Some(c) = CellKey::parse(loc) {
            return Location::Cell(c);
        }
        if let Some(table) = TableId::of(loc) {
            let row = loc
                .split_once('.')
                .map(|(_, r)| r)
                .filter(|r| !r.is_empty());
            return Location::Table { table, row };
        }
        Location::Other(loc)
    }

    /// The table this location is in, if any.
    pub fn table(&self) -> Option<TableId> {
        match self {
            Location::Cell(c) => Some(c.table),
            Location::Table { table, .. } => Some(*table),
            _ => None,
        }
    }

    /// The section this location is in, if any.
    pub fn section(&self) -> Option<&'a str> {
        match self {
            Location::Section { id, .. } => Some(id),
            _ => None,
        }
    }

    /// Printed order of a report's parts: metadata, sections, tables 2, 3, 4, the rest.
    pub fn rank(&self) -> u8 {
        match self {
            Location::Meta(_) => 0,
            Location::Section { .. } => 1,
            Location::Cell(_) | Location::Table { .. } => match self.table() {
                Some(TableId::T2) => 2,
                Some(TableId::T3) => 3,
                _ => 4,
            },
            Location::Text(_) | Location::Other(_) => 5,
        }
    }
}

/// A finding location without its repeat suffix (`S1:L5#2` → `S1:L5`).
pub fn without_repeat(loc: &str) -> &str {
    match loc.rsplit_once('#') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => loc,
    }
}

/// A finding location with its repeat number: the `n`th finding of one rule at one place.
pub fn with_repeat(loc: &str, n: u32) -> String {
    format!("{loc}#{n}")
}

/// The key of a finding: rule id @ location (`T3-RES@T3.R3_7.C1`), unique within a report.
pub fn finding_key(rule: &str, location: &str) -> String {
    format!("{rule}@{location}")
}

/// (rule, location) of a finding key; the rule is everything before the first `@`.
pub fn split_finding_key(key: &str) -> Option<(&str, &str)> {
    key.split_once('@')
        .filter(|(r, l)| !r.is_empty() && !l.is_empty())
}

/// Operands from last year's report are named `prev:` + their key in the finding's cells.
const PREV: &str = "prev:";

/// Last year's cell `key`, as a finding operand (`prev:T3.R4.C1`).
pub fn prev(key: &str) -> String {
    format!("{PREV}{key}")
}

/// The key of a last-year operand (`prev:T3.R4.C1` → `T3.R4.C1`).
pub fn strip_prev(key: &str) -> Option<&str> {
    key.strip_prefix(PREV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_keys_round_trip() {
        for k in [
            "T3.R3_7.C1",
            "T4.review.total",
            "T2.a1.规章.made",
            "T2.a6.行政处罚.delta",
        ] {
            let c = CellKey::parse(k).unwrap();
            assert_eq!(c.to_string(), k);
        }
        let c = CellKey::parse("T2.a1.规章.made").unwrap();
        assert_eq!(
            (c.table, c.row, c.col, c.group()),
            (TableId::T2, "a1.规章", "made", "a1")
        );
        assert_eq!(
            (column_of("T2.a1.规章.made"), column_of("C1")),
            ("made", "C1")
        );
        assert_eq!((row_group("a1.规章"), row_group("R3_1")), ("a1", "R3_1"));
        assert_eq!((row_item("a1.规章"), row_item("R3_1")), ("规章", "R3_1"));
        assert_eq!((base_row("R3_1#2"), base_row("R3_1")), ("R3_1", "R3_1"));
        // Keys a hand-edited file may hold: no row, no column, a repeat mark or a location
        // suffix in the column; a row may repeat (`R3_1#2`).
        for k in [
            "T3..C1",
            "T3.R1.",
            "T3.R1.C1#2",
            "T3.R1.C1:x",
            "T3",
            "",
            ".",
        ] {
            assert!(CellKey::parse(k).is_none(), "{k}");
        }
        let c = CellKey::parse("T3.R3_1#2.C7").unwrap();
        assert_eq!((c.row, c.col), ("R3_1#2", "C7"));
        assert!(CellKey::parse("T3.R1").is_none());
        assert!(CellKey::parse("T5.R1.C1").is_none());
        assert!(CellKey::parse("S1:L12").is_none());
    }

    #[test]
    fn report_keys_round_trip() {
        let k = ReportKey::parse("余姚市三七市镇/2020");
        assert_eq!((k.agency, k.year), ("余姚市三七市镇", Some(2020)));
        assert_eq!(k.to_string(), "余姚市三七市镇/2020");
        assert_eq!(ReportKey::parse("某局/?").year, None);
        assert_eq!(ReportKey::parse("某局/?").to_string(), "某局/?");
        // The agency is everything before the last '/'.
        assert_eq!(ReportKey::parse("a/b/2021").agency, "a/b");
    }

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("S1:L12#2"),
            Location::Section {
                id: "S1",
                line: Some(12)
            }
        );
        assert_eq!(
            Location::parse("S6"),
            Location::Section {
                id: "S6",
                line: None
            }
        );
        assert_eq!(Location::parse("META.date"), Location::Meta("date"));
        assert_eq!(Location::parse("T3.R3_7.C1#3").table(), Some(TableId::T3));
        assert_eq!(
            Location::parse("T4"),
            Location::Table {
                table: TableId::T4,
                row: None
            }
        );
        assert_eq!(Location::parse("SEC").rank(), 5);
        assert_eq!(without_repeat("T3.R1.C1#12"), "T3.R1.C1");
        assert_eq!(without_repeat("x#y"), "x#y");
        assert_eq!(strip_prev(&prev("T3.R4.C1")), Some("T3.R4.C1"));
        let f = finding_key("TXT-PARTS", "S1:L5#2");
        assert_eq!(split_finding_key(&f), Some(("TXT-PARTS", "S1:L5#2")));
        assert_eq!(split_finding_key("@x"), None);
    }
}
