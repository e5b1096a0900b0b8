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
    /// Cancel or go back one screen; never quits.
    Back,
    /// Go back one screen; quits from the list (`q`).
    Leave,
    /// Quit from anywhere (`ctrl-c`).
    Quit,
    /// Start typing a fuzzy filter over agency names (Chinese, pinyin, initials); in a
    /// report, a search of its prose, row labels, values and cell keys.
    FilterStart,
    NextTab,
    PrevTab,
    NextFinding,
    PrevFinding,
    NextReport,
    PrevReport,
    /// Next / previous report that fails (an error; warnings alone do not stop here).
    NextFailing,
    PrevFailing,
    /// Next / previous report with warnings.
    NextWarning,
    PrevWarning,
    CycleSort,
    ReverseSort,
    CycleStatusFilter,
    CycleRuleFilter,
    CycleYearFilter,
    ClearFilters,
    /// Copy the current cell, finding or report summary (OSC 52).
    Copy,
    Help,
    /// Follow-up mark on the item under the cursor: opens the state chooser (1 待核实,
    /// 2 已确认, 3 已排除 with a reason, 4 已整改, 0 clears the mark).
    ToggleMark,
    /// Edit the follow-up note of the item under the cursor.
    EditNote,
    /// The follow-up screen: every mark of the batch.
    OpenFollowups,
    /// The history of the item under the cursor (every change).
    ShowHistory,
    /// Follow-up screen: filter by reviewer.
    CycleReviewerFilter,
    /// Compare with the same agency's previous year (from a report or the list).
    OpenCompare,
    /// Compare view: show or hide rows that are zero in both years.
    ToggleZeros,
    /// Compare view: next / previous row whose value changed.
    NextDiff,
    PrevDiff,
    /// Compare view: confirm the pairing or pick another previous-year report.
    ChoosePairing,
    /// Go to a cell of the open report by its key or labels (a chooser).
    GotoCell,
    /// Go to any report of the batch by agency, issuer or file name (a chooser).
    GotoReport,
    /// Report: add the finding under the cursor to the selection, or take it out.
    ToggleSelect,
    /// Report: start a range of findings that follows the cursor; again ends it.
    VisualSelect,
    /// Report: select every finding of the current finding's rule in the report.
    SelectRule,
    /// The batch by rule: rule, title, reports, findings; Enter drills down.
    OpenRules,
    /// Mark the selected (or open) report 已阅 reviewed; again takes the mark back.
    ToggleReviewed,
    /// List: show only the reports nobody has marked reviewed yet (again shows all).
    ToggleUnreviewedFilter,
    /// Export what the screen shows (follow-ups, or the list) to XLSX, CSV or Markdown.
    Export,
    // ---- not bound to keys: produced by the event loop ----
    FilterChar(char),
    FilterBackspace,
    /// Enter while typing a filter: keep the filter, stop typing.
    FilterAccept,
    /// Esc while typing a filter: clear it, stop typing.
    FilterCancel,
    Paste(String),
    Resize(u16, u16),
    // Note editor (not bound to keys).
    NoteChar(char),
    NoteBackspace,
    NoteDelete,
    NoteLeft,
    NoteRight,
    NoteHome,
    NoteEnd,
    /// Enter in the note editor: save.
    NoteSave,
    /// Esc in the note editor: cancel.
    NoteCancel,
    /// A digit in the state chooser (not bound to keys).
    Choose(char),
}

/// Everything that reaches the state, through the one `update::update`: the auditor's
/// actions and the workers' answers.
pub enum Msg {
    Action(Action),
    /// Progress of the loader (several at once are applied with one list refresh).
    Loader(Vec<super::loader::Msg>),
    /// An answer of the follow-up store worker.
    Store(Box<super::followups::StoreMsg>),
    /// Matches of the filter query from the matcher worker.
    Filtered(super::filter::FilterChunk),
    /// An answer of the review-progress worker.
    Progress(super::progress::ProgressMsg),
    /// An export was written, or why not.
    Exported(super::export::ExportDone),
    /// `pairings.json` was written, or why not (`path: reason`).
    PairingsSaved(Result<(), String>),
}

/// What `update` asks the runtime to do; run outside `update`, which does no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Match the filter query on the matcher worker (it replaces any query running).
    Filter(super::filter::FilterJob),
    Quit,
    /// Send this text to the local clipboard (OSC 52).
    Copy(String),
    /// Set a follow-up mark in the store (on the store worker).
    Mark {
        item: crate::review::ItemRef,
        state: crate::review::State,
        /// `None` keeps the current note.
        note: Option<String>,
        snapshot: crate::review::Snapshot,
        /// The state the screen saw and expects to replace (`Some(None)`: unmarked); the
        /// store refuses the change when the item is in another state by now.
        expected: Option<Option<crate::review::State>>,
    },
    /// Set several items to one state in one store transaction (all or nothing).
    MarkMany {
        items: Vec<super::followups::BulkItem>,
        state: crate::review::State,
        /// `None` keeps each item's note.
        note: Option<String>,
    },
    /// Build and write an export (on the export worker).
    Export(Box<super::export::ExportJob>),
    /// Load the history of an item from the store.
    History(crate::review::ItemRef),
    /// Review progress: a 已阅 mark, or where the auditor is in the batch, for the store.
    Progress(super::progress::ProgressReq),
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
            Back => ("取消 / 返回（不会退出）", "cancel / back (never quits)"),
            Leave => ("返回；在列表中退出", "back; quits from the list"),
            Quit => ("随处退出", "quit from anywhere"),
            FilterStart => (
                "筛选机构（汉字、全拼、首字母）；在报告中搜索",
                "filter agencies (hanzi, pinyin, initials); search in a report",
            ),
            NextTab => ("下一个标签页", "next tab"),
            PrevTab => ("上一个标签页", "previous tab"),
            NextFinding => ("下一个发现", "next finding"),
            PrevFinding => ("上一个发现", "previous finding"),
            NextReport => ("下一份报告", "next report"),
            PrevReport => ("上一份报告", "previous report"),
            NextFailing => ("下一份未通过的报告", "next failing report"),
            PrevFailing => ("上一份未通过的报告", "previous failing report"),
            NextWarning => ("下一份带警告的报告", "next report with warnings"),
            PrevWarning => ("上一份带警告的报告", "previous report with warnings"),
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
                "跟进标记：选择状态（1–4，0 清除）",
                "follow-up mark: choose a state (1–4, 0 clears)",
            ),
            EditNote => ("编辑跟进备注", "edit follow-up note"),
            OpenFollowups => ("跟进事项一览", "follow-up screen"),
            ShowHistory => ("查看变更记录", "history of the item"),
            CycleReviewerFilter => (
                "按审核人筛选（跟进事项）",
                "filter by reviewer (follow-ups)",
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
            GotoCell => (
                "跳到单元格（键或行名、列名）",
                "go to a cell (key or labels)",
            ),
            GotoReport => (
                "跳到报告（机构、落款、文件名）",
                "go to a report (agency, issuer, file name)",
            ),
            ToggleSelect => ("选择/取消选择发现（可多选）", "select a finding (several)"),
            VisualSelect => (
                "连续选择发现：开始/结束",
                "select a range of findings: start/end",
            ),
            Export => (
                "导出：跟进事项或列表（XLSX/CSV/Markdown）",
                "export: follow-ups or the list (XLSX/CSV/Markdown)",
            ),
            OpenRules => ("按规则汇总（可逐级查看）", "summary by rule (drill down)"),
            SelectRule => (
                "选择本报告中同一规则的所有发现",
                "select every finding of this rule in the report",
            ),
            ToggleReviewed => ("标为已阅 / 取消已阅", "mark reviewed / take it back"),
            ToggleUnreviewedFilter => ("只看未阅的报告", "show only reports not reviewed yet"),
            FilterChar(_) | FilterBackspace | FilterAccept | FilterCancel | Paste(_)
            | Resize(..) | NoteChar(_) | NoteBackspace | NoteDelete | NoteLeft | NoteRight
            | NoteHome | NoteEnd | NoteSave | NoteCancel | Choose(_) => ("", ""),
        }
    }
}
