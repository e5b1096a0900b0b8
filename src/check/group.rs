//! Finding groups for the outputs: when one rule fires on many cells of one table row or
//! table (a column of blank totals, twenty unreadable cells), the table and CSV outputs show
//! one group listing the cells instead of twenty lines. JSON keeps every finding.

use super::{Finding, Mark};
use crate::model::key::CellKey;

/// Fewer findings than this are shown one by one.
pub const MIN_GROUP: usize = 3;

/// One line of output: a single finding, or several of one rule and mark on one row/table.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// The findings, in report order; never empty.
    pub findings: Vec<&'a Finding>,
    /// Where the group is: the finding's own location, or the row (`T3.R3_1`) or the table
    /// (`T3`) all its cells are in.
    pub location: String,
}

impl<'a> Group<'a> {
    pub fn first(&self) -> &'a Finding {
        self.findings[0]
    }

    pub fn is_group(&self) -> bool {
        self.findings.len() > 1
    }

    /// The cell locations of the group's findings relative to `location` (`C1`, `R3_2.C7`).
    pub fn members(&self) -> Vec<String> {
        let prefix = format!("{}.", self.location);
        self.findings
            .iter()
            .map(|f| {
                f.location
                    .strip_prefix(&prefix)
                    .unwrap_or(&f.location)
                    .to_string()
            })
            .collect()
    }

    /// The first finding's message, followed by how many more cells the group holds and
    /// which (at most twelve named; every cell stays in the JSON output).
    pub fn message(&self) -> String {
        let first = self.first();
        if !self.is_group() {
            return first.message.clone();
        }
        let members = self.members();
        let mut list = members[1..]
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if members.len() > 13 {
            list.push_str(", …");
        }
        format!("{} [+{}: {list}]", first.message, members.len() - 1)
    }
}

/// `T3.R3_1.C2` → (`T3`, `R3_1`); `None` for locations that are not one cell.
fn cell_place(location: &str) -> Option<(&str, &str)> {
    // Whole columns (`T3.*.C7`) and repeated findings (`…#2`) are not one cell.
    if location.contains(['*', '#']) {
        return None;
    }
    let cell = CellKey::parse(location)?;
    Some((cell.table.as_str(), cell.row))
}

/// Rule, mark and table of the cell findings one group may hold.
type BucketKey<'a> = (&'a str, Mark, &'a str);

/// Group the findings for display, keeping the order of first appearance.
pub fn group(findings: &[Finding]) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    // (rule, mark, table) → indices of the cell findings
    let mut buckets: Vec<(BucketKey, Vec<&Finding>)> = Vec::new();
    for f in findings {
        if let Some((table, _)) = cell_place(&f.location) {
            let k = (f.rule.as_str(), f.mark(), table);
            match buckets.iter_mut().find(|(key, _)| *key == k) {
                Some((_, v)) => v.push(f),
                None => buckets.push((k, vec![f])),
            }
        }
    }
    let mut placed: Vec<*const Finding> = Vec::new();
    for f in findings {
        if placed.contains(&(f as *const Finding)) {
            continue;
        }
        let bucket = cell_place(&f.location).and_then(|(table, _)| {
            buckets
                .iter()
                .find(|(k, _)| *k == (f.rule.as_str(), f.mark(), table))
                .map(|(_, v)| v)
        });
        match bucket.filter(|v| v.len() >= MIN_GROUP) {
            Some(members) => {
                let rows: Vec<&str> = members
                    .iter()
                    .filter_map(|m| cell_place(&m.location).map(|(_, r)| r))
                    .collect();
                let (table, row) = cell_place(&f.location).unwrap_or_default();
                let location = if rows.iter().all(|r| *r == row) {
                    format!("{table}.{row}")
                } else {
                    table.to_string()
                };
                placed.extend(members.iter().map(|m| *m as *const Finding));
                out.push(Group {
                    findings: members.clone(),
                    location,
                });
            }
            None => out.push(Group {
                findings: vec![f],
                location: f.location.clone(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Outcome, Severity};

    fn f(rule: &str, loc: &str, outcome: Outcome) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            outcome,
            location: loc.into(),
            message: format!("{rule} at {loc}"),
            expected: None,
            actual: None,
            quote: None,
            line: None,
            cells: vec![loc.into()],
            operands: None,
        }
    }

    #[test]
    fn many_cells_of_one_row_or_table_are_one_group() {
        let na = Outcome::NotAssessable;
        let fail = Outcome::Fail;
        let fs = vec![
            f("T3-ROW", "T3.R1.C7", na),
            f("T3-RES", "T3.R3_7.C1", fail),
            f("T3-ROW", "T3.R2.C7", na),
            f("T3-RES", "T3.R3_7.C7", fail),
            f("T3-ROW", "T3.R3_1.C7", na),
            f("FMT-NUMBER", "T3.R3_2.C1", fail),
            f("FMT-NUMBER", "T3.R3_2.C2", fail),
            f("FMT-NUMBER", "T3.R3_2.C3", fail),
            f("SEC-MISSING", "S6", fail),
        ];
        let g = group(&fs);
        let shown: Vec<(String, usize)> = g
            .iter()
            .map(|g| (g.location.clone(), g.findings.len()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("T3".to_string(), 3),
                ("T3.R3_7.C1".to_string(), 1),
                ("T3.R3_7.C7".to_string(), 1),
                ("T3.R3_2".to_string(), 3),
                ("S6".to_string(), 1),
            ]
        );
        assert_eq!(g[0].members(), vec!["R1.C7", "R2.C7", "R3_1.C7"]);
        assert!(
            g[3].message().ends_with("[+2: C2, C3]"),
            "{}",
            g[3].message()
        );
        assert_eq!(g[1].message(), "T3-RES at T3.R3_7.C1");
    }
}
