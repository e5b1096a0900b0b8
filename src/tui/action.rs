//! Every user intent is an `Action`. Actions are serde-readable (snake_case), so the
//! keymap file, the help overlay, tests and macros all speak the same language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    MoveUp,
    MoveDown,
    MoveLeft,
    MoveRight,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open the selected report; on a finding, jump to its cell or sentence.
    Open,
    /// Go back one screen; quits from the list.
    Back,
    Quit,
    /// Start typing a fuzzy filter over agency names (Chinese, pinyin, initials).
    FilterStart,
    NextTab,
    PrevTab,
    NextFinding,
    PrevFinding,
    NextReport,
    PrevReport,
    NextFailing,
    PrevFailing,
    CycleSort,
    ReverseSort,
    CycleStatusFilter,
    CycleRuleFilter,
    CycleYearFilter,
    ClearFilters,
    /// Copy the current cell, finding or report summary (OSC 52).
    Copy,
    Help,
    /// Follow-up mark on the current item: provided by the follow-up store (another issue).
    ToggleMark,
    /// Compare with the same agency's previous year (from a report or the list).
    OpenCompare,
    /// Compare view: show or hide rows that are zero in both years.
    ToggleZeros,
    /// Compare view: next / previous row whose value changed.
    NextDiff,
    PrevDiff,
    /// Compare view: confirm the pairing or pick another previous-year report.
    ChoosePairing,
    // ---- not bound to keys: produced by the event loop ----
    FilterChar(char),
    FilterBackspace,
    /// Enter while typing a filter: keep the filter, stop typing.
    FilterAccept,
    /// Esc while typing a filter: clear it, stop typing.
    FilterCancel,
    Paste(String),
    Resize(u16, u16),
}

/// What `update` asks the runtime to do; run outside `update`, which does no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Send this text to the local clipboard (OSC 52).
    Copy(String),
    /// Ask the follow-up store to toggle a mark (the store comes with another issue).
    Mark {
        report: String,
        item: String,
    },
    /// Write the pairing choices (`DIR/.report-review/pairings.json`).
    SavePairings {
        path: std::path::PathBuf,
        json: String,
    },
}

impl Action {
    /// Help text for bindable actions: (Chinese, English).
    pub fn describe(&self) -> (&'static str, &'static str) {
        use Action::*;
        match self {
            MoveUp => ("上移", "move up"),
            MoveDown => ("下移", "move down"),
            MoveLeft => ("左移（表格）", "move left (table)"),
            MoveRight => ("右移（表格）", "move right (table)"),
            PageUp => ("上翻页", "page up"),
            PageDown => ("下翻页", "page down"),
            Top => ("到顶部", "go to top"),
            Bottom => ("到底部", "go to bottom"),
            Open => (
                "打开报告 / 跳到发现的单元格或语句",
                "open report / jump to finding",
            ),
            Back => ("返回（在列表中退出）", "back (quit from the list)"),
            Quit => ("退出", "quit"),
            FilterStart => (
                "筛选机构（汉字、全拼、首字母）",
                "filter agencies (hanzi, pinyin, initials)",
            ),
            NextTab => ("下一个标签页", "next tab"),
            PrevTab => ("上一个标签页", "previous tab"),
            NextFinding => ("下一个发现", "next finding"),
            PrevFinding => ("上一个发现", "previous finding"),
            NextReport => ("下一份报告", "next report"),
            PrevReport => ("上一份报告", "previous report"),
            NextFailing => ("下一份未通过的报告", "next failing report"),
            PrevFailing => ("上一份未通过的报告", "previous failing report"),
            CycleSort => (
                "切换排序：状态/机构/年份/错误数",
                "cycle sort: status/agency/year/errors",
            ),
            ReverseSort => ("反转排序", "reverse sort"),
            CycleStatusFilter => ("按状态筛选", "filter by status"),
            CycleRuleFilter => ("按规则筛选", "filter by rule"),
            CycleYearFilter => ("按年份筛选", "filter by year"),
            ClearFilters => ("清除所有筛选", "clear all filters"),
            Copy => (
                "复制单元格/发现/报告摘要（OSC 52）",
                "copy cell/finding/summary (OSC 52)",
            ),
            Help => ("帮助", "help"),
            ToggleMark => (
                "标记待跟进（尚未提供）",
                "follow-up mark (not yet available)",
            ),
            OpenCompare => ("与上年比较", "compare with the previous year"),
            ToggleZeros => (
                "比较：显示/隐藏两年均为 0 的行",
                "compare: show/hide rows zero in both years",
            ),
            NextDiff => ("比较：下一处变化", "compare: next difference"),
            PrevDiff => ("比较：上一处变化", "compare: previous difference"),
            ChoosePairing => (
                "比较：确认或更改上年报告配对",
                "compare: confirm or change the pairing",
            ),
            FilterChar(_) | FilterBackspace | FilterAccept | FilterCancel | Paste(_)
            | Resize(..) => ("", ""),
        }
    }
}
