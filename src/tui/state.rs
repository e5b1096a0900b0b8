//! The one `State` of the review screen. Views read it; only `update` changes it.

use super::filter::{FilterChunk, FilterJob, Matcher, Purpose, SearchKey};
use super::keymap::Keymap;
use super::theme::Theme;
use crate::check::{Finding, Outcome, Severity, Status};
use crate::i18n::Lang;
use crate::model::Report;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use super::layout::{
    grid_of, t2_ordinal, table_index, Dims, Grid, GridCol, GridRow, ReportLayout, MIN_HEIGHT,
    MIN_WIDTH, TABLE_IDS,
};

/// A report with text or tables (not only its identity).
fn holds_content(r: &Report) -> bool {
    !r.sections.is_empty() || !r.preamble.is_empty() || r.tables().next().is_some()
}

/// One file of the batch, loaded or not.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: usize,
    pub path: PathBuf,
    /// File name as shown (control characters removed).
    pub file: String,
    /// The report's identity (agency, key, year, template, source; no text or tables):
    /// what the list, pairing and marks read. The report itself is read from its file when
    /// opened ([`State::open_report`]).
    pub report: Option<Arc<Report>>,
    /// The full report when it was handed to the screen in full (tests and tools that
    /// build the state themselves); the batch loader hands identities only.
    pub full: Option<Arc<Report>>,
    /// Why the file could not be read (status `unreadable`).
    pub error: Option<String>,
    pub status: Status,
    /// Status before waivers (dismissed findings); `status` is after them.
    pub raw_status: Status,
    /// The status is better than `raw_status` because of waivers.
    pub waived: bool,
    /// Sorted: errors, warnings, info; then by location.
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
    /// Agency as shown (file stem for unreadable files).
    pub name: String,
    /// Shared with the matcher worker, which matches queries off the input thread.
    pub search: Arc<SearchKey>,
}

impl Item {
    pub fn new(
        id: usize,
        path: PathBuf,
        report: Result<Report, String>,
        findings: Vec<Finding>,
    ) -> Item {
        let file = super::width::clean(
            &path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
        );
        let (report, full, error) = match report {
            Ok(r) if holds_content(&r) => (
                Some(Arc::new(crate::batch::slim::identity(&r))),
                Some(Arc::new(r)),
                None,
            ),
            Ok(r) => (Some(Arc::new(r)), None, None),
            Err(e) => (None, None, Some(super::width::clean(&e))),
        };
        let name = match &report {
            Some(r) if !r.agency.trim().is_empty() => r.agency.clone(),
            Some(r) if !r.agency_key.is_empty() => r.agency_key.clone(),
            _ => path
                .file_stem()
                .map(|s| super::width::clean(&s.to_string_lossy()))
                .unwrap_or_else(|| file.clone()),
        };
        // The year is searchable too (`pt2020`); only the name's characters are highlighted.
        // The report is found by its other names as well: the normalised agency key
        // (`余姚` finds 三七市镇, whose key is 余姚市三七市镇), the issuer and the file name.
        let year = report.as_ref().and_then(|r| r.year);
        let with_year = |s: &str| match year {
            Some(y) => format!("{s}{y}"),
            None => s.to_string(),
        };
        let agency_key = report
            .as_ref()
            .map(|r| with_year(&super::width::clean(&r.agency_key)))
            .unwrap_or_default();
        let issuer = report
            .as_ref()
            .and_then(|r| r.issuer.as_deref())
            .map(super::width::clean)
            .unwrap_or_default();
        let search = Arc::new(SearchKey::with_others(
            &with_year(&name),
            &[(&agency_key, true), (&issuer, true), (&file, false)],
        ));
        let mut item = Item {
            id,
            path,
            file,
            report,
            full,
            error,
            status: Status::Pass,
            raw_status: Status::Pass,
            waived: false,
            findings: Vec::new(),
            errors: 0,
            warnings: 0,
            name,
            search,
        };
        item.set_findings(findings);
        item
    }

    pub fn set_findings(&mut self, mut findings: Vec<Finding>) {
        // Errors, warnings, infos, then what could not be assessed (the report view's groups).
        findings.sort_by(|a, b| {
            a.mark()
                .cmp(&b.mark())
                .then_with(|| location_order(&a.location).cmp(&location_order(&b.location)))
        });
        self.errors = findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail && f.severity == Severity::Error)
            .count();
        self.warnings = findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail && f.severity == Severity::Warning)
            .count();
        self.status = if self.report.is_none() {
            Status::Unreadable
        } else {
            Status::from_findings(&findings)
        };
        // Waivers are applied again by `State::apply_waivers`.
        self.raw_status = self.status;
        self.waived = false;
        // Held for every report of the batch for as long as the screen is open.
        findings.shrink_to_fit();
        self.findings = findings;
    }

    pub fn year(&self) -> Option<i32> {
        self.report.as_ref().and_then(|r| r.year)
    }

    /// How findings mark a cell: failing when any fail-outcome finding names it as its
    /// location or as an operand (location wins over operand, fail over not-assessable).
    pub fn cell_mark(&self, key: &str) -> Option<CellMark> {
        let mut out: Option<CellMark> = None;
        for f in &self.findings {
            let at = f.location == key;
            if !at && !f.cells.iter().any(|c| c == key) {
                continue;
            }
            let m = match f.outcome {
                Outcome::Fail if at => CellMark::Fail,
                Outcome::Fail => CellMark::Operand,
                Outcome::NotAssessable => CellMark::NotAssessable,
            };
            if out.is_none_or(|o| m < o) {
                out = Some(m);
            }
        }
        out
    }

    /// Findings that point at a cell (location or operand).
    pub fn findings_at(&self, key: &str) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.location == key || f.cells.iter().any(|c| c == key))
            .collect()
    }

    pub fn has_failing_rule(&self, rule: &str) -> bool {
        self.findings
            .iter()
            .any(|f| f.rule == rule && f.outcome == Outcome::Fail)
    }
}

/// A table cell's mark, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellMark {
    /// The location of a failing check.
    Fail,
    /// An operand of a failing check.
    Operand,
    /// A check could not be assessed here.
    NotAssessable,
}

impl CellMark {
    pub fn glyph(self) -> &'static str {
        match self {
            CellMark::Fail => "✗",
            CellMark::Operand => "*",
            CellMark::NotAssessable => "?",
        }
    }
}

/// Order of locations: tables and sections in printed order (sections first).
fn location_order(loc: &str) -> (u8, String) {
    (
        crate::model::key::Location::parse(loc).rank(),
        loc.to_string(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Status,
    Agency,
    Year,
    Errors,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Status => SortKey::Agency,
            SortKey::Agency => SortKey::Year,
            SortKey::Year => SortKey::Errors,
            SortKey::Errors => SortKey::Status,
        }
    }
}

/// The screen shown, with its state. The list is the base; the screens opened on the way
/// are kept on `State::stack`, and going back shows the one below.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    List,
    Report(ReportView),
    /// Year-over-year comparison (`super::compare`).
    Compare(Box<super::compare::CompareView>),
    /// Every follow-up mark of the batch (`super::followups`; its cursor and filters are
    /// kept across openings in `Followups::screen`).
    Followups,
    /// The batch by rule, or the reports of one rule (`super::rules`).
    Rules(super::rules::RulesView),
}

/// Which screen, without its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenKind {
    List,
    Report,
    Compare,
    Followups,
    Rules,
}

impl Screen {
    pub fn kind(&self) -> ScreenKind {
        match self {
            Screen::List => ScreenKind::List,
            Screen::Report(_) => ScreenKind::Report,
            Screen::Compare(_) => ScreenKind::Compare,
            Screen::Followups => ScreenKind::Followups,
            Screen::Rules(_) => ScreenKind::Rules,
        }
    }
}

/// What the keys mean now, from the overlay on top (typing goes to the filter or the note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing the fuzzy filter.
    Filter,
    Help,
    /// The follow-up note editor is open.
    Note,
    /// The follow-up state chooser is open (digits choose).
    Chooser,
    /// The export prompt is open (typing goes to the path).
    Export,
    /// Typing a search inside the report (letters go to the query, never to commands).
    Search,
}

/// Something drawn over the screen that takes the keys while it is on top. They stack:
/// help opened over an item's history closes back to the history.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Typing the list's fuzzy filter (drawn in the list's filter line).
    Filter,
    Help {
        scroll: usize,
    },
    Note(super::followups::NoteEditor),
    History(super::followups::History),
    /// `m`: choose the follow-up state of the item under the cursor.
    Chooser(super::followups::Chooser),
    /// Choosing the previous year's report, over the compare screen.
    Pairing(super::compare::Picker),
    /// `E`: where to export what the screen shows.
    Export(super::export::ExportPrompt),
    /// `/` in a report: the query being typed, with its hits so far (drawn in the footer).
    Search(super::search::Search),
    /// `:` / `o`: choose a cell of the report, or any report, to go to.
    Goto(Box<super::goto::Goto>),
}

/// A tab of the report view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Prose,
    Table(&'static str),
}

/// The tabs a report has: overview, prose, and each table it contains.
pub fn tabs_of(report: Option<&Report>) -> Vec<Tab> {
    let mut tabs = vec![Tab::Overview];
    if let Some(r) = report {
        tabs.push(Tab::Prose);
        for id in TABLE_IDS {
            if r.table(id).is_some() {
                tabs.push(Tab::Table(id));
            }
        }
    }
    tabs
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableCursor {
    pub row: usize,
    pub col: usize,
    pub row_offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub item: usize,
    pub tab: Tab,
    /// Index into the item's findings: the finding selected in the overview / last jumped to.
    pub finding: Option<usize>,
    pub overview_scroll: usize,
    pub prose_scroll: usize,
    /// The prose row under the cursor (index into `layout.prose`): what `m` marks.
    pub prose_cursor: usize,
    /// The search accepted with Enter, while it is active (`n`/`N` step through its hits).
    pub search: Option<Box<super::search::Search>>,
    /// One cursor per table (T2, T3, T4).
    pub cursors: [TableCursor; 3],
    /// The report's layout at the current terminal size (computed on opening and resize).
    pub layout: Arc<ReportLayout>,
    /// The report as read from its file on opening; `None` when it could not be read.
    pub report: Option<super::opened::Shown>,
}

impl ReportView {
    pub fn new(item: usize, report: Option<Arc<Report>>, layout: ReportLayout) -> ReportView {
        ReportView {
            item,
            report: report.map(super::opened::Shown),
            tab: Tab::Overview,
            finding: None,
            overview_scroll: 0,
            prose_scroll: 0,
            prose_cursor: 0,
            search: None,
            cursors: [TableCursor::default(); 3],
            layout: Arc::new(layout),
        }
    }

    pub fn cursor(&self, tid: &str) -> TableCursor {
        self.cursors[table_index(tid)]
    }

    pub fn cursor_mut(&mut self, tid: &str) -> &mut TableCursor {
        &mut self.cursors[table_index(tid)]
    }

    /// The section of the prose row under the cursor (a blank row belongs to the section
    /// above it); `None` in the preamble.
    pub fn prose_section(&self) -> Option<usize> {
        let rows = &self.layout.prose;
        let at = self.prose_cursor.min(rows.len().saturating_sub(1));
        rows.get(..=at)?.iter().rev().find_map(|r| match r {
            super::layout::ProseRow::Heading(si) => Some(Some(*si)),
            super::layout::ProseRow::Text { sec, .. } => Some(*sec),
            super::layout::ProseRow::Blank => None,
        })?
    }

    /// Show table `tid` with its cursor on `row` (and column `col`, when given), scrolled as
    /// little as needed to show it. Nothing changes for a table the report does not have.
    pub fn show_table_cell(&mut self, tid: &'static str, row: usize, col: Option<usize>, d: Dims) {
        let layout = Arc::clone(&self.layout);
        let Some(t) = layout.table(tid) else {
            return;
        };
        self.tab = Tab::Table(tid);
        let c = self.cursor_mut(tid);
        c.row = row;
        if let Some(col) = col {
            c.col = col;
        }
        c.row_offset = t.row_offset(row, c.row_offset, d);
    }

    /// Put the prose cursor on `row`, scrolling as little as needed to show it in a window
    /// of `body_rows` rows.
    pub fn set_prose_cursor(&mut self, row: usize, body_rows: usize) {
        let n = self.layout.prose.len();
        self.prose_cursor = row.min(n.saturating_sub(1));
        self.prose_scroll =
            super::width::scroll_to(self.prose_scroll, self.prose_cursor, body_rows)
                .min(n.saturating_sub(body_rows));
    }
}

/// What the list is sorted by, read once per report for a sort.
struct SortRow<'a> {
    id: usize,
    rank: u8,
    errors: usize,
    warnings: usize,
    full: &'a str,
    year: Option<i32>,
    file: &'a str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loading {
    /// Files found; `None` while the directory is being walked.
    pub total: Option<usize>,
    pub done: usize,
    pub finished: bool,
    /// When the list was last sorted again while a large batch loads
    /// ([`crate::tui::update`]'s `LOADING_REFRESH`).
    pub refreshed: Option<std::time::Instant>,
    /// The selection's place before cross-year results not shown yet changed statuses.
    pub anchor: Option<(usize, usize)>,
}

/// Default of [`State::inline_filter_limit`].
pub const INLINE_FILTER_LIMIT: usize = 2_000;

/// How far the matching of the current query has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterProgress {
    pub scanned: usize,
    pub total: usize,
    /// No results have arrived yet: the list still shows the previous query's.
    pub fresh: bool,
}

pub struct State {
    pub dir_label: String,
    pub items: Vec<Item>,
    pub loading: Loading,
    /// Item ids shown in the list, in display order.
    pub visible: Vec<usize>,
    /// Matched char positions of the agency name, per visible item id.
    pub matches: HashMap<usize, Vec<usize>>,
    /// Selected item id (kept across sorting, filtering, loading and resizing).
    pub selected: Option<usize>,
    /// True once the auditor moved the selection or opened a report.
    pub picked: bool,
    pub list_offset: usize,
    pub sort: SortKey,
    pub sort_reverse: bool,
    pub status_filter: Option<Status>,
    pub rule_filter: Option<String>,
    pub year_filter: Option<i32>,
    pub query: String,
    /// The screen shown; `stack` holds the ones below it (going back pops).
    pub screen: Screen,
    pub stack: Vec<Screen>,
    /// Overlays over the screen, the one taking the keys last.
    pub overlays: Vec<Overlay>,
    /// One-line message in the status line (copy done, end of findings, …).
    pub notice: Option<String>,
    /// Problems found at start (keymap conflicts), shown until the first key.
    pub warnings: Vec<String>,
    /// Where the keymap file is read from, as shown in the help overlay.
    pub keys_file: String,
    pub size: (u16, u16),
    pub lang: Lang,
    pub keymap: Keymap,
    pub theme: Theme,
    pub matcher: Matcher,
    /// Item ids that pass the status, rule and year filters, in display order: what the
    /// query is matched over.
    base: Arc<Vec<usize>>,
    /// Search keys by item id, shared with the matcher worker (rebuilt when items change).
    keys: Option<Arc<Vec<Arc<SearchKey>>>>,
    /// Generation of the query: results of an older one are dropped.
    pub filter_gen: u64,
    /// The query is still being matched (results so far are shown).
    pub filtering: Option<FilterProgress>,
    /// The query whose results are `visible`, once complete: a longer query that starts
    /// with it only needs to try those.
    last_query: Option<String>,
    /// Query runs for the matcher worker (one per purpose, the newest), taken by the
    /// runtime (`take_filter_job`).
    pending_jobs: Vec<FilterJob>,
    /// Generation of the `o` chooser's query: its results of an older one are dropped.
    pub goto_gen: u64,
    /// Lists up to this long are matched at once on the input thread (well under a
    /// millisecond); longer ones go to the matcher worker.
    pub inline_filter_limit: usize,
    /// Batches below this many reports are sorted again on every loader message (cheap);
    /// larger ones at most every quarter second while they load.
    pub large_batch: usize,
    /// The compare screen and the pairing choices.
    pub compare: super::compare::CompareState,
    /// Follow-up marks, the note editor and the follow-up screen.
    pub followups: super::followups::Followups,
    /// Review progress: 已阅 marks, the "not reviewed yet" filter, the saved place.
    pub progress: super::progress::Progress,
    /// The reports opened last, read from their files.
    pub opened: super::opened::Opened,
}

impl State {
    pub fn new(dir_label: &str, lang: Lang, keymap: Keymap, theme: Theme) -> State {
        State {
            dir_label: super::width::clean(dir_label),
            items: Vec::new(),
            loading: Loading::default(),
            visible: Vec::new(),
            matches: HashMap::new(),
            selected: None,
            picked: false,
            list_offset: 0,
            sort: SortKey::default(),
            sort_reverse: false,
            status_filter: None,
            rule_filter: None,
            year_filter: None,
            query: String::new(),
            screen: Screen::List,
            stack: Vec::new(),
            overlays: Vec::new(),
            notice: None,
            warnings: Vec::new(),
            keys_file: "~/.config/report-review/keys.toml".into(),
            size: (80, 24),
            lang,
            keymap,
            theme,
            matcher: Matcher::default(),
            base: Arc::new(Vec::new()),
            keys: None,
            filter_gen: 0,
            filtering: None,
            last_query: None,
            pending_jobs: Vec::new(),
            goto_gen: 0,
            inline_filter_limit: INLINE_FILTER_LIMIT,
            large_batch: super::update::LARGE_BATCH,
            compare: Default::default(),
            opened: Default::default(),
            followups: Default::default(),
            progress: Default::default(),
        }
    }

    /// Chinese or English text by the chosen language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The overlay taking the keys.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlays.last()
    }

    pub fn mode(&self) -> Mode {
        match self.overlay() {
            Some(Overlay::Filter) => Mode::Filter,
            Some(Overlay::Help { .. }) => Mode::Help,
            Some(Overlay::Note(_)) => Mode::Note,
            Some(Overlay::Chooser(_)) => Mode::Chooser,
            Some(Overlay::Export(_)) => Mode::Export,
            // The choosers take typed text as the search prompt does.
            Some(Overlay::Search(_) | Overlay::Goto(_)) => Mode::Search,
            Some(Overlay::History(_) | Overlay::Pairing(_)) | None => Mode::Normal,
        }
    }

    /// The note editor, when open.
    pub fn note_editor(&self) -> Option<&super::followups::NoteEditor> {
        self.overlays.iter().rev().find_map(|o| match o {
            Overlay::Note(e) => Some(e),
            _ => None,
        })
    }

    /// The history shown, if any.
    pub fn history(&self) -> Option<&super::followups::History> {
        self.overlays.iter().rev().find_map(|o| match o {
            Overlay::History(h) => Some(h),
            _ => None,
        })
    }

    /// The pairing chooser, when open.
    pub fn pairing(&self) -> Option<&super::compare::Picker> {
        self.overlays.iter().rev().find_map(|o| match o {
            Overlay::Pairing(p) => Some(p),
            _ => None,
        })
    }

    /// How far help is scrolled (0 when closed).
    pub fn help_scroll(&self) -> usize {
        match self.overlay() {
            Some(Overlay::Help { scroll }) => *scroll,
            _ => 0,
        }
    }

    /// Which screen is shown.
    pub fn screen(&self) -> ScreenKind {
        self.screen.kind()
    }

    /// The report view shown, or the one the current screen was opened from (compare).
    pub fn report_view(&self) -> Option<&ReportView> {
        std::iter::once(&self.screen)
            .chain(self.stack.iter().rev())
            .find_map(|s| match s {
                Screen::Report(v) => Some(v),
                _ => None,
            })
    }

    pub fn report_view_mut(&mut self) -> Option<&mut ReportView> {
        if let Screen::Report(v) = &mut self.screen {
            return Some(v);
        }
        self.stack.iter_mut().rev().find_map(|s| match s {
            Screen::Report(v) => Some(v),
            _ => None,
        })
    }

    /// Every report view, shown or below (all are laid out again on resize).
    pub fn report_views_mut(&mut self) -> impl Iterator<Item = &mut ReportView> {
        std::iter::once(&mut self.screen)
            .chain(self.stack.iter_mut())
            .filter_map(|s| match s {
                Screen::Report(v) => Some(v),
                _ => None,
            })
    }

    /// The compare screen's state, when it is shown.
    pub fn compare_view(&self) -> Option<&super::compare::CompareView> {
        match &self.screen {
            Screen::Compare(v) => Some(v),
            _ => None,
        }
    }

    pub fn compare_view_mut(&mut self) -> Option<&mut super::compare::CompareView> {
        match &mut self.screen {
            Screen::Compare(v) => Some(v),
            _ => None,
        }
    }

    /// Show `screen` above the current one.
    pub fn push_screen(&mut self, screen: Screen) {
        let below = std::mem::replace(&mut self.screen, screen);
        self.stack.push(below);
    }

    /// Back to the screen below (the list at the bottom).
    pub fn pop_screen(&mut self) {
        self.screen = self.stack.pop().unwrap_or(Screen::List);
    }

    pub fn dims(&self) -> Dims {
        Dims::of(self.size.0, self.size.1)
    }

    pub fn item(&self, id: usize) -> Option<&Item> {
        self.items.get(id)
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.selected.and_then(|id| self.items.get(id))
    }

    /// Position of the selection in the visible list.
    pub fn cursor(&self) -> Option<usize> {
        let sel = self.selected?;
        self.visible.iter().position(|&id| id == sel)
    }

    /// The item of the open report.
    pub fn open_item(&self) -> Option<&Item> {
        self.report_view().and_then(|v| self.items.get(v.item))
    }

    /// The full report of item `id`, read from its file (cleaned as the batch read it)
    /// unless it was opened lately; `None`, with a notice, when the file cannot be read now.
    /// The one place the screen reads a file on a key: a report is about 20 KB.
    pub fn open_report(&mut self, id: usize) -> Option<Arc<Report>> {
        let item = self.items.get(id)?;
        if let Some(r) = &item.full {
            return Some(Arc::clone(r));
        }
        item.report.as_ref()?;
        let report = match self.opened.get(id) {
            Some(r) => Arc::clone(r),
            None => match crate::batch::open(&item.path) {
                Ok(r) => Arc::new(r),
                Err(e) => {
                    let why = format!("{}: {e}", item.file);
                    self.notice = Some(super::width::clean(&why));
                    return None;
                }
            },
        };
        self.opened.keep(id, Arc::clone(&report));
        Some(report)
    }

    /// The full report of item `id` if it is open or was opened lately (never reads).
    pub fn opened_report(&self, id: usize) -> Option<&Report> {
        let item = self.items.get(id)?;
        if let Some(r) = &item.full {
            return Some(r);
        }
        let on_screen = std::iter::once(&self.screen)
            .chain(self.stack.iter())
            .find_map(|s| match s {
                Screen::Report(v) if v.item == id => v.report.as_deref(),
                _ => None,
            });
        on_screen.or_else(|| self.opened.get(id).map(|r| &**r))
    }

    /// Totals by status over every loaded file.
    pub fn totals(&self) -> [(Status, usize); 4] {
        let count = |s| self.items.iter().filter(|i| i.status == s).count();
        [
            (Status::Fail, count(Status::Fail)),
            (Status::Warn, count(Status::Warn)),
            (Status::Pass, count(Status::Pass)),
            (Status::Unreadable, count(Status::Unreadable)),
        ]
    }

    /// Rule ids that fail somewhere in the batch (for the rule filter), sorted.
    pub fn failing_rules(&self) -> Vec<String> {
        let mut rules: Vec<String> = self
            .items
            .iter()
            .flat_map(|i| i.findings.iter())
            .filter(|f| f.outcome == Outcome::Fail)
            .map(|f| f.rule.clone())
            .collect();
        rules.sort();
        rules.dedup();
        rules
    }

    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.items.iter().filter_map(|i| i.year()).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// Recompute the list from filters and sort, then match the query over it, keeping the
    /// selection.
    pub fn refresh(&mut self) {
        let mut base = Vec::new();
        for item in &self.items {
            if self.status_filter.is_some_and(|s| s != item.status) {
                continue;
            }
            if self.year_filter.is_some_and(|y| item.year() != Some(y)) {
                continue;
            }
            if let Some(rule) = &self.rule_filter {
                if !item.has_failing_rule(rule) {
                    continue;
                }
            }
            if self.progress.unreviewed_only && self.is_reviewed(item) {
                continue;
            }
            base.push(item.id);
        }
        let rank = |s: Status| match s {
            Status::Fail => 0u8,
            Status::Unreadable => 1,
            Status::Warn => 2,
            Status::Pass => 3,
        };
        // Each report's sort fields read once (its pinyin is looked up in its search key),
        // not twice per comparison: the list is sorted again as a large batch loads.
        let mut rows: Vec<SortRow> = base
            .iter()
            .map(|&id| {
                let item = &self.items[id];
                SortRow {
                    id,
                    rank: rank(item.status),
                    errors: item.errors,
                    warnings: item.warnings,
                    full: item.search.full(),
                    year: item.year(),
                    file: &item.file,
                }
            })
            .collect();
        let sort = self.sort;
        rows.sort_unstable_by(|a, b| {
            let by_agency = || {
                a.full
                    .cmp(b.full)
                    .then_with(|| a.year.cmp(&b.year))
                    .then_with(|| a.file.cmp(b.file))
            };
            match sort {
                SortKey::Status => a
                    .rank
                    .cmp(&b.rank)
                    .then_with(|| b.errors.cmp(&a.errors))
                    .then_with(by_agency),
                SortKey::Agency => by_agency(),
                // Unknown years last.
                SortKey::Year => (a.year.unwrap_or(i32::MAX))
                    .cmp(&b.year.unwrap_or(i32::MAX))
                    .then_with(by_agency),
                SortKey::Errors => b
                    .errors
                    .cmp(&a.errors)
                    .then_with(|| b.warnings.cmp(&a.warnings))
                    .then_with(by_agency),
            }
            // Ties in file order, as a stable sort of the list in file order leaves them.
            .then_with(|| a.id.cmp(&b.id))
        });
        let mut base: Vec<usize> = rows.into_iter().map(|r| r.id).collect();
        if self.sort_reverse {
            base.reverse();
        }
        self.base = Arc::new(base);
        // The items or their order changed: keys are rebuilt, and no narrowing from the
        // last result.
        self.keys = None;
        self.last_query = None;
        self.refilter();
    }

    /// Match the query over the filtered, sorted list. A blank query shows the whole list at
    /// once; a short list is matched here; a long one becomes a job for the matcher worker
    /// (`take_filter_job`) and its results arrive through `apply_filtered`, so a keystroke
    /// never waits for the matcher.
    pub fn refilter(&mut self) {
        self.filter_gen += 1;
        self.pending_jobs.retain(|j| j.purpose != Purpose::List);
        if self.query.chars().all(char::is_whitespace) {
            self.filtering = None;
            self.visible = (*self.base).clone();
            self.matches = HashMap::new();
            self.last_query = Some(self.query.clone());
            self.fix_selection();
            return;
        }
        // Every match of a longer query is a match of its prefix (the characters in
        // order): typing on only tries what the last complete result holds.
        let narrowing = self.filtering.is_none()
            && self
                .last_query
                .as_ref()
                .is_some_and(|q| self.query.starts_with(q.as_str()));
        let order = if narrowing {
            Arc::new(self.visible.clone())
        } else {
            Arc::clone(&self.base)
        };
        self.last_query = None;
        let keys = self.search_keys();
        self.filtering = Some(FilterProgress {
            scanned: 0,
            total: order.len(),
            fresh: true,
        });
        let job = FilterJob {
            purpose: Purpose::List,
            gen: self.filter_gen,
            query: self.query.clone(),
            order,
            keys,
        };
        self.run_or_queue(job);
    }

    /// Search keys by item id, shared with the matcher worker.
    pub(crate) fn search_keys(&mut self) -> Arc<Vec<Arc<SearchKey>>> {
        match &self.keys {
            Some(k) if k.len() == self.items.len() => Arc::clone(k),
            _ => {
                let k: Arc<Vec<Arc<SearchKey>>> =
                    Arc::new(self.items.iter().map(|i| Arc::clone(&i.search)).collect());
                self.keys = Some(Arc::clone(&k));
                k
            }
        }
    }

    /// Match a short run here and apply its results; queue a long one for the matcher
    /// worker, replacing the one of the same purpose waiting.
    pub(crate) fn run_or_queue(&mut self, job: FilterJob) {
        if job.order.len() <= self.inline_filter_limit {
            let mut chunks = Vec::new();
            job.run(
                &self.matcher,
                std::time::Duration::MAX,
                || false,
                |c| {
                    chunks.push(c);
                    true
                },
            );
            for c in chunks {
                self.apply_filtered(c);
            }
        } else {
            self.queue_job(job);
        }
    }

    /// Leave `job` for the matcher worker, replacing the one of the same purpose waiting.
    pub(crate) fn queue_job(&mut self, job: FilterJob) {
        self.pending_jobs.retain(|j| j.purpose != job.purpose);
        self.pending_jobs.push(job);
    }

    /// A query run waiting for the matcher worker, if any (the newest of each purpose).
    pub fn take_filter_job(&mut self) -> Option<FilterJob> {
        (!self.pending_jobs.is_empty()).then(|| self.pending_jobs.remove(0))
    }

    /// Matches from the matcher, for the list or the `o` chooser: shown as they come; those
    /// of an older query are dropped.
    pub fn apply_filtered(&mut self, chunk: FilterChunk) {
        match chunk.purpose {
            Purpose::List => self.apply_list_matches(chunk),
            Purpose::Goto => self.apply_goto_matches(chunk),
        }
    }

    fn apply_list_matches(&mut self, chunk: FilterChunk) {
        if chunk.gen != self.filter_gen {
            return;
        }
        let Some(p) = self.filtering.as_mut() else {
            return;
        };
        if p.fresh {
            p.fresh = false;
            self.visible.clear();
            self.matches.clear();
        }
        p.scanned = chunk.scanned;
        for hit in chunk.hits {
            if !hit.positions.is_empty() {
                self.matches.insert(hit.id, hit.positions);
            }
            self.visible.push(hit.id);
        }
        if chunk.done {
            self.filtering = None;
            self.last_query = Some(self.query.clone());
        }
        self.fix_selection();
    }

    fn fix_selection(&mut self) {
        // The place saved when the batch was last left, once its report has arrived.
        self.resume_if_loaded();
        // Until the auditor picks a report, the selection stays on the top row (reports
        // keep arriving while loading); after that it follows the chosen report.
        if !self.picked || self.selected.is_none_or(|s| !self.visible.contains(&s)) {
            self.selected = self.visible.first().copied();
        }
        self.fix_list_scroll();
    }

    pub fn fix_list_scroll(&mut self) {
        let rows = self.dims().list_rows;
        let cur = self.cursor().unwrap_or(0);
        self.list_offset = super::width::scroll_to(self.list_offset, cur, rows)
            .min(self.visible.len().saturating_sub(rows));
        self.list_offset = super::width::scroll_to(self.list_offset, cur, rows);
    }

    /// Words for a status, with its glyph: never colour alone.
    pub fn status_text(&self, s: Status) -> String {
        let (g, zh, en) = status_words(s);
        format!("{g} {}", self.t(zh, en))
    }
}

pub fn status_words(s: Status) -> (&'static str, &'static str, &'static str) {
    match s {
        Status::Fail => ("✗", "未通过", "fail"),
        Status::Warn => ("!", "警告", "warn"),
        Status::Pass => ("✓", "通过", "pass"),
        // Not `?`: that is "not assessable" everywhere (cells, findings, compare).
        Status::Unreadable => ("⊘", "无法读取", "unreadable"),
    }
}

pub fn severity_glyph(f: &Finding) -> &'static str {
    f.mark().glyph()
}
