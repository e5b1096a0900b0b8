//! Reader for the text-dump layout (docs/templates.md): prose at column 0, one table cell per
//! line starting with a TAB, a line holding only a TAB is an empty cell, a blank line ends a
//! table row, and a prose line (or two blank lines) ends the table.

use super::blocks::{Block, RawCell, RawRow};

pub fn read(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut table: Vec<RawRow> = Vec::new();
    let mut row: RawRow = Vec::new();
    let mut blank_run = 0;

    let finish_row = |row: &mut RawRow, table: &mut Vec<RawRow>| {
        if !row.is_empty() {
            table.push(std::mem::take(row));
        }
    };
    let finish_table = |table: &mut Vec<RawRow>, blocks: &mut Vec<Block>| {
        if !table.is_empty() {
            blocks.push(Block::Table(std::mem::take(table)));
        }
    };

    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if let Some(cell) = raw.strip_prefix('\t') {
            blank_run = 0;
            row.push(RawCell {
                text: crate::sanitize::clean(cell).trim().to_string(),
                line,
            });
            continue;
        }
        let clean = crate::sanitize::clean(raw);
        if clean.trim().is_empty() {
            blank_run += 1;
            finish_row(&mut row, &mut table);
            if blank_run >= 2 {
                finish_table(&mut table, &mut blocks);
            }
            continue;
        }
        blank_run = 0;
        finish_row(&mut row, &mut table);
        finish_table(&mut table, &mut blocks);
        blocks.push(Block::Text {
            line,
            text: clean.trim().to_string(),
        });
    }
    finish_row(&mut row, &mut table);
    finish_table(&mut table, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_rows_and_tables() {
        let text = "标题\n\t规章\n\t0\n\t\n\n\t规范性文件\n\t1\n\n\n一、总体情况\n";
        let blocks = read(text);
        assert_eq!(blocks.len(), 3);
        match &blocks[1] {
            Block::Table(rows) => {
                assert_eq!(rows.len(), 2);
                assert_eq!(rows[0][2].text, "");
                assert_eq!(rows[0][2].line, 4);
                assert_eq!(rows[1][1].text, "1");
            }
            other => panic!("{other:?}"),
        }
    }
}
