//! The keys of each screen, in one list per screen: the help overlay shows the current
//! screen's keys first and then those that work everywhere, and the footer shows the ones
//! of the same list that carry a hint. What a screen offers is said once.

use super::action::Action;
use super::compare::CompareTab;
use super::keymap::Keymap;
use super::state::{Screen, State, Tab};

/// Where the auditor is, as far as keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    List,
    /// A report's overview tab.
    Report,
    /// A report's prose tab: the overview's keys but `Enter`, which jumps from a finding of
    /// the overview and does nothing here.
    ReportProse,
    /// A report's table tab.
    ReportTable,
    /// A report (any tab) while a search is active: `n`/`N` step through its hits.
    ReportSearch,
    /// The compare screen's table tab.
    CompareTable,
    /// The compare screen's repeated-sentences and trend tabs.
    CompareText,
    /// Choosing the previous year's report on the compare screen.
    Pairing,
    Followups,
    /// The batch by rule.
    Rules,
    /// The reports of one rule.
    RuleReports,
}

/// A key of a screen; `hint` (Chinese, English) when the footer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub action: Action,
    pub hint: Option<(&'static str, &'static str)>,
    /// The footer keeps this hint at any width (how to go back and to quit).
    pub always: bool,
}

const fn key(action: Action) -> Command {
    Command {
        action,
        hint: None,
        always: false,
    }
}

const fn hint(action: Action, zh: &'static str, en: &'static str) -> Command {
    Command {
        action,
        hint: Some((zh, en)),
        always: false,
    }
}

/// A hint the footer never leaves out.
const fn always(action: Action, zh: &'static str, en: &'static str) -> Command {
    Command {
        action,
        hint: Some((zh, en)),
        always: true,
    }
}

use Action::*;

const LIST: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    hint(Open, "打开", "open"),
    hint(FilterStart, "筛选", "filter"),
    hint(CycleSort, "排序", "sort"),
    key(ReverseSort),
    hint(CycleStatusFilter, "状态", "status"),
    hint(CycleRuleFilter, "规则", "rule"),
    hint(CycleYearFilter, "年份", "year"),
    key(OpenRules),
    key(Export),
    key(ClearFilters),
    hint(NextFailing, "下一未通过", "next failing"),
    hint(ToggleReviewed, "已阅", "reviewed"),
    key(ToggleUnreviewedFilter),
    key(PrevFailing),
    key(NextWarning),
    key(PrevWarning),
    key(OpenCompare),
    key(ToggleMark),
    key(Copy),
    always(Help, "帮助", "help"),
    key(Back),
    always(Leave, "退出", "quit"),
];

const REPORT: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    hint(Open, "跳到发现", "jump"),
    hint(NextFinding, "下一发现", "next finding"),
    key(PrevFinding),
    hint(FilterStart, "搜索", "search"),
    key(GotoCell),
    hint(NextTab, "标签", "tab"),
    key(PrevTab),
    hint(NextReport, "下一报告", "next report"),
    key(PrevReport),
    hint(NextFailing, "下一未通过", "next failing"),
    key(PrevFailing),
    key(NextWarning),
    key(PrevWarning),
    hint(Copy, "复制", "copy"),
    key(ToggleMark),
    key(ToggleSelect),
    key(VisualSelect),
    key(SelectRule),
    key(ToggleReviewed),
    key(OpenCompare),
    always(Help, "帮助", "help"),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

const REPORT_TABLE: &[Command] = &[
    hint(MoveDown, "移动", "move"),
    key(MoveUp),
    key(MoveLeft),
    key(MoveRight),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    hint(NextFinding, "下一发现", "next finding"),
    key(PrevFinding),
    hint(FilterStart, "搜索", "search"),
    key(GotoCell),
    hint(NextTab, "标签", "tab"),
    key(PrevTab),
    hint(NextReport, "下一报告", "next report"),
    key(PrevReport),
    key(NextFailing),
    key(PrevFailing),
    key(NextWarning),
    key(PrevWarning),
    hint(Copy, "复制", "copy"),
    key(ToggleMark),
    key(ToggleReviewed),
    key(OpenCompare),
    always(Help, "帮助", "help"),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

const REPORT_SEARCH: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(MoveLeft),
    key(MoveRight),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    hint(NextFinding, "下一处", "next hit"),
    hint(PrevFinding, "上一处", "previous hit"),
    hint(FilterStart, "新搜索", "new search"),
    key(GotoCell),
    hint(NextTab, "标签", "tab"),
    key(PrevTab),
    key(NextReport),
    key(PrevReport),
    key(Copy),
    key(ToggleMark),
    always(Help, "帮助", "help"),
    always(Back, "结束搜索", "end search"),
    always(Quit, "退出", "quit"),
];

const COMPARE_TABLE: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    key(FilterStart),
    hint(NextDiff, "下一变化", "next diff"),
    key(PrevDiff),
    hint(NextFinding, "下一发现", "next finding"),
    key(PrevFinding),
    hint(ToggleZeros, "零值行", "zero rows"),
    hint(NextTab, "标签", "tab"),
    key(PrevTab),
    hint(ChoosePairing, "配对", "pairing"),
    key(NextReport),
    key(PrevReport),
    key(NextFailing),
    key(PrevFailing),
    key(NextWarning),
    key(PrevWarning),
    key(Copy),
    key(ToggleMark),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

const COMPARE_TEXT: &[Command] = &[
    hint(MoveDown, "滚动", "scroll"),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    hint(NextTab, "标签", "tab"),
    key(PrevTab),
    hint(ChoosePairing, "配对", "pairing"),
    key(NextReport),
    key(PrevReport),
    key(NextFailing),
    key(PrevFailing),
    key(NextWarning),
    key(PrevWarning),
    key(ToggleMark),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

const PAIRING: &[Command] = &[
    hint(MoveDown, "移动", "move"),
    key(MoveUp),
    key(Top),
    key(Bottom),
    hint(Open, "选定", "choose"),
    always(Back, "取消", "cancel"),
    always(Quit, "退出", "quit"),
];

const FOLLOWUPS: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    key(FilterStart),
    hint(Open, "跳到", "go to"),
    hint(ToggleMark, "标记", "mark"),
    hint(EditNote, "备注", "note"),
    hint(ShowHistory, "记录", "history"),
    hint(CycleSort, "排序", "sort"),
    key(ReverseSort),
    hint(CycleStatusFilter, "状态", "state"),
    hint(CycleRuleFilter, "规则", "rule"),
    hint(CycleReviewerFilter, "审核人", "reviewer"),
    key(ClearFilters),
    hint(Export, "导出", "export"),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

const RULES: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    key(FilterStart),
    hint(Open, "查看", "drill down"),
    hint(ToggleMark, "全部标记", "mark all"),
    hint(CycleSort, "排序", "sort"),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

const RULE_REPORTS: &[Command] = &[
    key(MoveDown),
    key(MoveUp),
    key(PageDown),
    key(PageUp),
    key(Top),
    key(Bottom),
    hint(Open, "打开报告", "open the report"),
    hint(ToggleMark, "标记本报告的这些发现", "mark its findings"),
    always(Back, "返回", "back"),
    always(Quit, "退出", "quit"),
];

/// Keys that work on every screen.
pub const GLOBAL: &[Action] = &[Help, Quit, GotoReport, OpenFollowups, EditNote, ShowHistory];

/// The keys of a screen, in the order help lists them.
pub fn commands(ctx: KeyContext) -> &'static [Command] {
    match ctx {
        KeyContext::List => LIST,
        KeyContext::Report | KeyContext::ReportProse => REPORT,
        KeyContext::ReportTable => REPORT_TABLE,
        KeyContext::ReportSearch => REPORT_SEARCH,
        KeyContext::CompareTable => COMPARE_TABLE,
        KeyContext::CompareText => COMPARE_TEXT,
        KeyContext::Pairing => PAIRING,
        KeyContext::Followups => FOLLOWUPS,
        KeyContext::Rules => RULES,
        KeyContext::RuleReports => RULE_REPORTS,
    }
}

/// The footer's hints: the keys of the screen that carry one, in order.
/// The last item says whether the footer keeps the hint at any width.
pub fn footer_hints(
    ctx: KeyContext,
) -> impl Iterator<Item = (&'static Action, &'static str, &'static str, bool)> {
    commands(ctx)
        .iter()
        .filter(move |c| !left_out(ctx, &c.action))
        .filter_map(|c| c.hint.map(|(zh, en)| (&c.action, zh, en, c.always)))
}

/// Keys of a shared list that do nothing in one context: left out of its footer and help.
fn left_out(ctx: KeyContext, action: &Action) -> bool {
    ctx == KeyContext::ReportProse && *action == Open
}

/// Name of a screen as a heading in help.
fn context_name(ctx: KeyContext) -> (&'static str, &'static str) {
    match ctx {
        KeyContext::List => ("报告列表", "report list"),
        KeyContext::Report => ("报告", "report"),
        KeyContext::ReportProse => ("报告正文", "report prose"),
        KeyContext::ReportTable => ("报告表格", "report table"),
        KeyContext::ReportSearch => ("报告（搜索中）", "report (searching)"),
        KeyContext::CompareTable => ("与上年比较", "compare"),
        KeyContext::CompareText => ("与上年比较", "compare"),
        KeyContext::Pairing => ("选择上年报告", "choose the previous year"),
        KeyContext::Followups => ("跟进事项", "follow-ups"),
        KeyContext::Rules => ("按规则汇总", "summary by rule"),
        KeyContext::RuleReports => ("一条规则的报告", "reports of a rule"),
    }
}

/// A row of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Heading(String),
    /// Keys (or `—` when unbound) and what they do.
    Key(String, String),
}

/// Help for a screen: its own keys, then those that work everywhere (each action once).
pub fn help_rows(keymap: &Keymap, ctx: KeyContext, zh: bool) -> Vec<HelpRow> {
    let pick = |z: &'static str, e: &'static str| if zh { z } else { e }.to_string();
    let row = |a: &Action| {
        let (z, e) = a.describe();
        let keys = keymap.keys_for(a);
        HelpRow::Key(if keys.is_empty() { "—".into() } else { keys }, pick(z, e))
    };
    let (name_zh, name_en) = context_name(ctx);
    let mut out = vec![HelpRow::Heading(if zh {
        format!("{name_zh}的按键")
    } else {
        format!("keys of the {name_en}")
    })];
    let own: Vec<&Action> = commands(ctx)
        .iter()
        .map(|c| &c.action)
        .filter(|a| !GLOBAL.contains(a) && !left_out(ctx, a))
        .collect();
    out.extend(own.iter().map(|a| row(a)));
    if ctx == KeyContext::List {
        out.push(HelpRow::Key(
            pick("输入筛选时", "while filtering"),
            pick(
                "汉字 / 全拼 / 首字母，Backspace 删除",
                "hanzi / pinyin / initials, Backspace deletes",
            ),
        ));
        out.push(HelpRow::Key(
            String::new(),
            pick(
                "Enter 保留筛选，Esc 清除筛选，↑/↓ 移动",
                "Enter keeps the filter, Esc clears it, ↑/↓ move",
            ),
        ));
    }
    out.push(HelpRow::Heading(pick("所有画面通用", "on every screen")));
    out.extend(GLOBAL.iter().filter(|a| !own.contains(a)).map(row));
    out
}

/// The key context of what is on screen (under any overlay).
pub fn key_context(state: &State) -> KeyContext {
    match &state.screen {
        Screen::List => KeyContext::List,
        Screen::Report(v) if v.search.is_some() => KeyContext::ReportSearch,
        Screen::Report(v) => match v.tab {
            Tab::Table(_) => KeyContext::ReportTable,
            Tab::Prose => KeyContext::ReportProse,
            Tab::Overview => KeyContext::Report,
        },
        Screen::Compare(_) if state.pairing().is_some() => KeyContext::Pairing,
        Screen::Compare(v) if v.tab != CompareTab::Table => KeyContext::CompareText,
        Screen::Compare(_) => KeyContext::CompareTable,
        Screen::Followups => KeyContext::Followups,
        Screen::Rules(v) if v.rule.is_some() => KeyContext::RuleReports,
        Screen::Rules(_) => KeyContext::Rules,
    }
}

/// Help for what is on screen, in the auditor's language.
pub fn help_for(state: &State) -> Vec<HelpRow> {
    help_rows(
        &state.keymap,
        key_context(state),
        state.lang == crate::i18n::Lang::Zh,
    )
}
