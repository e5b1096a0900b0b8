//! Review progress: which reports an auditor has read through (已阅 reviewed), and where
//! each auditor left the batch. Both live in the follow-up store (tables `reviews` and
//! `sessions`, schema version 3), beside the marks, so a team sees one progress.
//!
//! A report's reviewed state is its latest row in the append-only `reviews` log: marking
//! it reviewed and un-marking it are both kept, with who and when. The place an auditor
//! left (the report selected, the list's filters and sort) is one row per login and
//! batch, replaced on each save; its content belongs to the screen (JSON text here).

use serde::{Deserialize, Serialize};

/// One change of a report's reviewed state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    /// The report's stable key (`余姚市三七市镇/2020`).
    pub report_key: String,
    /// True: marked 已阅 reviewed; false: the mark was taken back.
    pub reviewed: bool,
    /// RFC 3339, UTC.
    pub at: String,
    pub os_user: String,
    pub display_name: Option<String>,
}

impl Review {
    /// `张三 (zhangsan)`, or the login alone.
    pub fn who(&self) -> String {
        super::identity::who_label(&self.os_user, self.display_name.as_deref())
    }
}
