//! The reader-neutral form of a page: prose lines and table rows, each with its source line.
//! The text-dump reader and the HTML reader both produce it; `tables` and `document`
//! interpret it, so both input forms give identical reports.

/// One table cell as printed. Cells covered by a merged cell from above appear as empty
/// cells *before* the row's own cells (the text-dump layout, docs/templates.md); colspans
/// emit nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    pub text: String,
    pub line: usize,
}

pub type RawRow = Vec<RawCell>;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A prose line (already stripped of control characters), with its 1-based line number.
    Text { line: usize, text: String },
    /// A table: its rows in order.
    Table(Vec<RawRow>),
}

/// The one sanitiser ([`crate::sanitize::clean`]), under the name the readers use.
pub use crate::sanitize::clean as sanitize;
