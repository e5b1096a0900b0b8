//! HTML pages → blocks (docs/templates.md), the same blocks the text-dump reader gives for the
//! same report, so `tables` and `document` read both forms identically.
//!
//! * Prose: every block element (`<p>`, `<div>`, headings, list items, …) and every `<br>`
//!   ends a line; each non-empty line becomes a `Block::Text`. `<head>`, `<script>`,
//!   `<style>`, hidden elements and form controls are skipped.
//! * Tables: each statistics `<table>` becomes a `Block::Table`. Rowspans and colspans are
//!   resolved into a logical grid and each row is emitted like the text dump (see
//!   docs/templates.md): one cell per physical `<td>`/`<th>`, plus one empty cell for every
//!   cell merged from a row above, at its position in the row. Colspans emit nothing. Cell text is
//!   flattened (`本年新<br>制作数量` → `本年新制作数量`) and trimmed, `&nbsp;` included.
//!   Layout tables (a table holding another table, or long prose in a cell, or a single
//!   column) are read as prose instead.
//! * Line numbers: every cell and prose line carries the 1-based source line where its cell
//!   or paragraph starts. The parser reports the line each start tag *ends* on
//!   (`TreeSink::set_current_line`); a light scan of the source for start tags maps that to
//!   the line the tag *starts* on (Word-exported pages wrap long `<td …>` tags).

use super::blocks::{Block, RawCell};
use super::grid::{resolve_grid, GridCell, GridRow};
use super::tables;
use crate::sanitize::clean;
use crate::template::normalize_label;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, QualName};
use scraper::{Html, Node};
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

/// Node handle of scraper's tree (ego_tree's `NodeId`).
type NodeId = <Html as TreeSink>::Handle;

/// HTML caps colspan at 1000 and rowspan at 65534; we cap both at 1000.
const MAX_SPAN: usize = 1000;
/// A cell longer than this is prose, so its table is a layout table.
const MAX_DATA_CELL_CHARS: usize = 200;

/// Read an HTML page into blocks.
pub fn read(html: &str) -> Vec<Block> {
    let doc = parse(html);
    let mut flow = Flow::new(&doc);
    flow.blocks.extend(head_publication_date(&doc));
    flow.run(doc.html.tree.root().id());
    flow.finish()
}

/// Names under which government sites state a page's publication date in `<head>`
/// (`<meta name="PubDate" content="2023-02-20 09:30">`) or in an element of their own
/// (`<publishtime>2023-02-20</publishtime>`).
const DATE_META: &[&str] = &[
    "pubdate",
    "publishdate",
    "publishtime",
    "firstpublishedtime",
];

/// The date a `<meta name="PubDate">` states, as a `发布日期：…` line (the form a page's
/// metadata takes in the reader-neutral blocks, read by `document::strip_page`).
fn head_publication_date(doc: &Doc) -> Option<Block> {
    doc.html.tree.nodes().find_map(|n| {
        let el = n.value().as_element()?;
        if el.name() != "meta" {
            return None;
        }
        let name = el.attr("name")?.to_ascii_lowercase();
        let content = el.attr("content")?.trim();
        (DATE_META.contains(&name.as_str()) && !content.is_empty()).then(|| Block::Text {
            line: doc.element_line(n.id()),
            text: format!("发布日期：{}", clean(content)),
        })
    })
}

// ---------------------------------------------------------------- parsing with lines

/// The parsed page with source lines for elements (where the start tag begins) and text
/// nodes (where the first non-whitespace character is).
struct Doc {
    html: Html,
    element_lines: HashMap<NodeId, usize>,
    text_lines: HashMap<NodeId, usize>,
}

impl Doc {
    fn element_line(&self, id: NodeId) -> usize {
        self.element_lines.get(&id).copied().unwrap_or(1)
    }
}

fn parse(src: &str) -> Doc {
    let sink = LineSink {
        html: Html::new_document(),
        line: 1,
        created: Vec::new(),
        text_lines: HashMap::new(),
    };
    let sink = html5ever::parse_document(sink, Default::default()).one(StrTendril::from(src));

    // Map (tag name, line the start tag ends on) → lines the tags start on, in order.
    let mut starts: HashMap<(String, usize), VecDeque<usize>> = HashMap::new();
    for tag in scan_start_tags(src) {
        starts
            .entry((tag.name, tag.end_line))
            .or_default()
            .push_back(tag.start_line);
    }
    let mut element_lines = HashMap::with_capacity(sink.created.len());
    for (id, end_line) in &sink.created {
        let Some(name) = sink
            .html
            .tree
            .get(*id)
            .and_then(|n| n.value().as_element().map(|e| e.name().to_string()))
        else {
            continue;
        };
        // Elements the parser made up (implied `<p>` for a stray `</p>`, cloned formatting
        // elements) find no tag of their own and keep the parser's line.
        let line = starts
            .get_mut(&(name, *end_line))
            .and_then(VecDeque::pop_front)
            .unwrap_or(*end_line);
        element_lines.insert(*id, line);
    }
    Doc {
        html: sink.html,
        element_lines,
        text_lines: sink.text_lines,
    }
}

/// scraper's tree builder, recording the source line of every element and text node.
struct LineSink {
    html: Html,
    /// Line of the token being processed (for a start tag: the line its `>` is on).
    line: usize,
    created: Vec<(NodeId, usize)>,
    text_lines: HashMap<NodeId, usize>,
}

impl LineSink {
    /// Line of the first non-whitespace character of a text token, if it has one. The
    /// tokenizer reports the line it is on after the token, so count back the newlines.
    fn text_line(&self, text: &str) -> Option<usize> {
        let first = text.find(|c: char| !is_html_space(c))?;
        let after = text[first..].chars().filter(|c| *c == '\n').count();
        Some(self.line.saturating_sub(after).max(1))
    }

    fn note_text(&mut self, node: Option<NodeId>, line: Option<usize>) {
        let (Some(id), Some(line)) = (node, line) else {
            return;
        };
        if self
            .html
            .tree
            .get(id)
            .is_some_and(|n| matches!(n.value(), Node::Text(_)))
        {
            self.text_lines.entry(id).or_insert(line);
        }
    }

    fn text_of(&self, child: &NodeOrText<NodeId>) -> Option<usize> {
        match child {
            NodeOrText::AppendText(t) => self.text_line(t),
            NodeOrText::AppendNode(_) => None,
        }
    }

    fn last_child(&self, parent: NodeId) -> Option<NodeId> {
        self.html
            .tree
            .get(parent)
            .and_then(|p| p.last_child())
            .map(|c| c.id())
    }

    fn prev_sibling(&self, node: NodeId) -> Option<NodeId> {
        self.html
            .tree
            .get(node)
            .and_then(|n| n.prev_sibling())
            .map(|c| c.id())
    }
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = Self;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&mut self, _msg: Cow<'static, str>) {}

    fn get_document(&mut self) -> NodeId {
        self.html.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> ExpandedName<'a> {
        self.html.elem_name(target)
    }

    fn create_element(
        &mut self,
        name: QualName,
        attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> NodeId {
        let id = self.html.create_element(name, attrs, flags);
        self.created.push((id, self.line));
        id
    }

    fn create_comment(&mut self, text: StrTendril) -> NodeId {
        self.html.create_comment(text)
    }

    fn create_pi(&mut self, target: StrTendril, data: StrTendril) -> NodeId {
        self.html.create_pi(target, data)
    }

    fn append(&mut self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let line = self.text_of(&child);
        self.html.append(parent, child);
        if line.is_some() {
            let node = self.last_child(*parent);
            self.note_text(node, line);
        }
    }

    fn append_based_on_parent_node(
        &mut self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self
            .html
            .tree
            .get(*element)
            .is_some_and(|n| n.parent().is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &mut self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.html
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&mut self, target: &NodeId) -> NodeId {
        self.html.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.html.same_node(x, y)
    }

    fn set_quirks_mode(&mut self, mode: QuirksMode) {
        self.html.set_quirks_mode(mode);
    }

    fn append_before_sibling(&mut self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let line = self.text_of(&new_node);
        self.html.append_before_sibling(sibling, new_node);
        if line.is_some() {
            let node = self.prev_sibling(*sibling);
            self.note_text(node, line);
        }
    }

    fn add_attrs_if_missing(&mut self, target: &NodeId, attrs: Vec<Attribute>) {
        self.html.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&mut self, target: &NodeId) {
        self.html.remove_from_parent(target);
    }

    fn reparent_children(&mut self, node: &NodeId, new_parent: &NodeId) {
        self.html.reparent_children(node, new_parent);
    }

    fn set_current_line(&mut self, line_number: u64) {
        self.line = usize::try_from(line_number).unwrap_or(usize::MAX);
    }
}

/// A start tag found by the source scan.
#[derive(Debug, PartialEq)]
struct TagStart {
    /// ASCII-lowercased, as the parser names elements.
    name: String,
    /// Line of the `<`.
    start_line: usize,
    /// Line of the closing `>`.
    end_line: usize,
}

/// Byte cursor counting lines the way the HTML tokenizer does (CR LF, CR and LF each end one).
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
}

impl Cursor<'_> {
    fn peek(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }

    fn bump(&mut self) {
        match self.b.get(self.i) {
            Some(b'\r') => self.line += 1,
            Some(b'\n') if self.i == 0 || self.b[self.i - 1] != b'\r' => self.line += 1,
            _ => {}
        }
        self.i += 1;
    }

    fn skip(&mut self, n: usize) {
        for _ in 0..n {
            if self.i >= self.b.len() {
                break;
            }
            self.bump();
        }
    }

    fn starts_with_ci(&self, s: &[u8]) -> bool {
        self.b
            .get(self.i..self.i + s.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(s))
    }

    /// Move to the next occurrence of `pat` (ASCII case-insensitive); `false` at the end.
    fn find_ci(&mut self, pat: &[u8]) -> bool {
        while self.i < self.b.len() {
            if self.starts_with_ci(pat) {
                return true;
            }
            self.bump();
        }
        false
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(0), Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c)) {
            self.bump();
        }
    }

    /// Attributes up to and including the closing `>`; `false` when the input ends first
    /// (the tokenizer then drops the tag).
    fn skip_attributes(&mut self) -> bool {
        loop {
            while matches!(
                self.peek(0),
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/')
            ) {
                self.bump();
            }
            match self.peek(0) {
                None => return false,
                Some(b'>') => {
                    return true;
                }
                _ => {}
            }
            // Attribute name: its first character may be anything, even `=`.
            self.bump();
            while let Some(c) = self.peek(0) {
                if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>' | b'=') {
                    break;
                }
                self.bump();
            }
            self.skip_space();
            if self.peek(0) != Some(b'=') {
                continue;
            }
            self.bump();
            self.skip_space();
            match self.peek(0) {
                Some(q @ (b'"' | b'\'')) => {
                    self.bump();
                    while let Some(c) = self.peek(0) {
                        self.bump();
                        if c == q {
                            break;
                        }
                    }
                }
                _ => {
                    while let Some(c) = self.peek(0) {
                        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'>') {
                            break;
                        }
                        self.bump();
                    }
                }
            }
        }
    }
}

/// Start tags in source order, skipping comments, doctype and raw text (script, style, …).
/// Bytes are scanned: every delimiter is ASCII and UTF-8 never hides ASCII bytes.
fn scan_start_tags(src: &str) -> Vec<TagStart> {
    let mut c = Cursor {
        b: src.as_bytes(),
        i: 0,
        line: 1,
    };
    let mut out = Vec::new();
    while c.find_ci(b"<") {
        let start_line = c.line;
        if c.starts_with_ci(b"<!--") {
            c.skip(4);
            if c.peek(0) == Some(b'>') || (c.peek(0) == Some(b'-') && c.peek(1) == Some(b'>')) {
                continue;
            }
            // `-->`, or `--!>`: whichever comes first.
            loop {
                if !c.find_ci(b"--") {
                    break;
                }
                if c.starts_with_ci(b"-->") {
                    c.skip(3);
                    break;
                }
                if c.starts_with_ci(b"--!>") {
                    c.skip(4);
                    break;
                }
                c.skip(1);
            }
            continue;
        }
        let next = c.peek(1);
        match next {
            Some(b'!' | b'?') => {
                c.skip(1);
                if c.find_ci(b">") {
                    c.skip(1);
                }
            }
            Some(b'/') => {
                c.skip(2);
                // An end tag (attributes and all), or `</>`, or a bogus comment up to `>`.
                let closed = if c.peek(0).is_some_and(|b| b.is_ascii_alphabetic()) {
                    c.skip_attributes()
                } else {
                    c.find_ci(b">")
                };
                if closed {
                    c.skip(1);
                }
            }
            Some(b) if b.is_ascii_alphabetic() => {
                c.skip(1);
                let from = c.i;
                while let Some(b) = c.peek(0) {
                    if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>') {
                        break;
                    }
                    c.bump();
                }
                let name = String::from_utf8_lossy(&c.b[from..c.i]).to_ascii_lowercase();
                if !c.skip_attributes() {
                    break;
                }
                out.push(TagStart {
                    name: name.clone(),
                    start_line,
                    end_line: c.line,
                });
                c.skip(1);
                match name.as_str() {
                    "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript"
                    | "textarea" | "title" => {
                        let close = format!("</{name}");
                        while c.find_ci(close.as_bytes()) {
                            if matches!(
                                c.peek(close.len()),
                                None | Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>')
                            ) {
                                break;
                            }
                            c.skip(1);
                        }
                    }
                    "plaintext" => break,
                    _ => {}
                }
            }
            _ => c.skip(1),
        }
    }
    out
}

// ---------------------------------------------------------------- text

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// East Asian characters between which a source line break is not a space (CSS Text
/// segment-break rule): a paragraph wrapped in the source stays one unbroken line.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}'
        | '\u{2013}'..='\u{2026}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ffef}'
        | '\u{20000}'..='\u{3ffff}')
}

/// One line of text being assembled, with HTML whitespace collapsing.
#[derive(Default)]
struct LineBuf {
    text: String,
    line: Option<usize>,
    /// Whitespace seen since the last character; `true` if it held a line break.
    pending_space: Option<bool>,
    /// Drop whitespace until the next character (after a hard break inside a cell).
    suppress_space: bool,
}

impl LineBuf {
    fn push(&mut self, s: &str, line: usize, preformatted: bool) {
        for c in s.chars() {
            if is_html_space(c) && !preformatted {
                if !self.suppress_space && !self.text.is_empty() {
                    let nl = c == '\n' || c == '\r';
                    self.pending_space = Some(self.pending_space.unwrap_or(false) || nl);
                }
                continue;
            }
            let c = if c == '\u{a0}' { ' ' } else { c };
            if let Some(nl) = self.pending_space.take() {
                let joined = nl && self.text.chars().next_back().is_some_and(is_wide) && is_wide(c);
                if !joined {
                    self.text.push(' ');
                }
            }
            if self.line.is_none() && !c.is_whitespace() {
                self.line = Some(line);
            }
            self.suppress_space = false;
            self.text.push(c);
        }
    }

    /// A `<br>` or block boundary inside a table cell: no separator, no space.
    fn hard_break(&mut self) {
        self.pending_space = None;
        self.suppress_space = true;
    }

    /// The finished line (sanitised and trimmed) and its source line.
    fn take(&mut self) -> Option<(usize, String)> {
        let buf = std::mem::take(self);
        let text = clean(&buf.text).trim().to_string();
        if text.is_empty() {
            None
        } else {
            Some((buf.line.unwrap_or(1), text))
        }
    }

    fn take_cell(&mut self) -> String {
        let buf = std::mem::take(self);
        clean(&buf.text).trim().to_string()
    }
}

/// Elements whose content is never shown.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "select"
            | "textarea"
            | "button"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "audio"
            | "video"
            | "map"
    )
}

/// Elements that start and end a line. Everything else (span, font, a, b, Word's `o:p`, …)
/// is inline.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "body"
            | "address"
            | "article"
            | "aside"
            | "blockquote"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "ul"
            | "listing"
            | "plaintext"
            | "xmp"
    )
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Depth-first walk without recursion (pages can nest arbitrarily deep).
enum Step {
    Open(NodeId),
    Close(NodeId),
}

fn children(doc: &Doc, id: NodeId) -> Vec<NodeId> {
    doc.html
        .tree
        .get(id)
        .map(|n| n.children().map(|c| c.id()).collect())
        .unwrap_or_default()
}

fn push_children(doc: &Doc, id: NodeId, stack: &mut Vec<Step>) {
    stack.push(Step::Close(id));
    for child in children(doc, id).into_iter().rev() {
        stack.push(Step::Open(child));
    }
}

fn element(doc: &Doc, id: NodeId) -> Option<&scraper::node::Element> {
    doc.html.tree.get(id).and_then(|n| n.value().as_element())
}

/// The flattened text of a table cell (or caption): breaks and blocks join without a
/// separator, whitespace collapses, the result is trimmed.
fn cell_text(doc: &Doc, id: NodeId) -> String {
    let mut buf = LineBuf::default();
    let mut pre = 0usize;
    let mut stack = Vec::new();
    for child in children(doc, id).into_iter().rev() {
        stack.push(Step::Open(child));
    }
    while let Some(step) = stack.pop() {
        match step {
            Step::Open(id) => {
                let Some(node) = doc.html.tree.get(id) else {
                    continue;
                };
                match node.value() {
                    Node::Text(t) => buf.push(t, 1, pre > 0),
                    Node::Element(el) => {
                        let name = el.name();
                        if is_skipped(name) || is_hidden(el) {
                            continue;
                        }
                        if name == "br" || is_block(name) {
                            buf.hard_break();
                        }
                        if matches!(name, "pre" | "listing" | "textarea") {
                            pre += 1;
                        }
                        push_children(doc, id, &mut stack);
                    }
                    _ => {}
                }
            }
            Step::Close(id) => {
                if let Some(el) = element(doc, id) {
                    if is_block(el.name()) {
                        buf.hard_break();
                    }
                    if matches!(el.name(), "pre" | "listing" | "textarea") {
                        pre = pre.saturating_sub(1);
                    }
                }
            }
        }
    }
    buf.take_cell()
}

// ---------------------------------------------------------------- prose flow

struct Flow<'a> {
    doc: &'a Doc,
    blocks: Vec<Block>,
    buf: LineBuf,
    /// Start line of the block element whose first line is being assembled.
    pending_line: Option<usize>,
    pre: usize,
}

impl<'a> Flow<'a> {
    fn new(doc: &'a Doc) -> Self {
        Flow {
            doc,
            blocks: Vec::new(),
            buf: LineBuf::default(),
            pending_line: None,
            pre: 0,
        }
    }

    fn flush(&mut self) {
        if let Some((line, text)) = self.buf.take() {
            self.blocks.push(Block::Text { line, text });
            self.pending_line = None;
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }

    fn run(&mut self, root: NodeId) {
        let doc = self.doc;
        let mut stack = vec![Step::Open(root)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Open(id) => {
                    let Some(node) = doc.html.tree.get(id) else {
                        continue;
                    };
                    match node.value() {
                        Node::Text(t) => {
                            let text_line = doc.text_lines.get(&id).copied();
                            if self.pre > 0 {
                                // Preformatted: source line breaks are line breaks. Line of
                                // part i: the first text line, less the breaks before it, + i.
                                let first_text = t
                                    .find(|c: char| !is_html_space(c))
                                    .map_or(0, |i| t[..i].matches('\n').count());
                                let base = text_line.map(|l| l.saturating_sub(first_text));
                                for (i, part) in t.split('\n').enumerate() {
                                    if i > 0 {
                                        self.flush();
                                    }
                                    let line =
                                        self.pending_line.or(base.map(|b| b + i)).unwrap_or(1);
                                    self.buf.push(part, line, true);
                                }
                            } else {
                                let line = self.pending_line.or(text_line).unwrap_or(1);
                                self.buf.push(t, line, false);
                            }
                        }
                        Node::Element(el) => {
                            let name = el.name();
                            if is_skipped(name) || is_hidden(el) {
                                continue;
                            }
                            if name == "br" {
                                self.flush();
                                continue;
                            }
                            if DATE_META.contains(&name) {
                                // `<publishtime>`: the page's date, on a line of its own.
                                self.flush();
                                let t = cell_text(doc, id);
                                if !t.is_empty() {
                                    self.blocks.push(Block::Text {
                                        line: doc.element_line(id),
                                        text: format!("发布日期：{t}"),
                                    });
                                }
                                continue;
                            }
                            if name == "table" && self.table(id) {
                                continue;
                            }
                            if is_block(name) {
                                self.flush();
                                // Text straight in `<body>` starts where the text does.
                                self.pending_line = (!matches!(name, "html" | "body"))
                                    .then(|| doc.element_line(id));
                            }
                            if matches!(name, "pre" | "listing" | "plaintext" | "xmp") {
                                self.pre += 1;
                            }
                            push_children(doc, id, &mut stack);
                        }
                        Node::Document | Node::Fragment => {
                            push_children(doc, id, &mut stack);
                        }
                        _ => {}
                    }
                }
                Step::Close(id) => {
                    if let Some(el) = element(doc, id) {
                        let name = el.name();
                        if is_block(name) {
                            self.flush();
                            self.pending_line = None;
                        }
                        if matches!(name, "pre" | "listing" | "plaintext" | "xmp") {
                            self.pre = self.pre.saturating_sub(1);
                        }
                    }
                }
            }
        }
    }

    /// Emit a data table as a block and return `true`; `false` for a layout table, whose
    /// content is then read as prose.
    fn table(&mut self, id: NodeId) -> bool {
        let doc = self.doc;
        if has_nested_table(doc, id) {
            return false;
        }
        let (caption, rows) = collect_rows(doc, id);
        if rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| c.text.chars().count() > MAX_DATA_CELL_CHARS)
        {
            return false;
        }
        let mut raw = resolve_grid(&rows);
        let is_report_table = tables::classify(&raw).is_some();
        if !is_report_table && rows.iter().all(|r| r.cells.len() <= 1) {
            return false;
        }
        self.flush();
        self.pending_line = None;
        if let Some((line, text)) = caption {
            // A table-2 caption belongs to the table, as its own one-cell row; any other
            // caption is a prose line above the table.
            if normalize_label(&text).starts_with("第二十条") {
                raw.insert(0, vec![RawCell { text, line }]);
            } else {
                self.blocks.push(Block::Text { line, text });
            }
        }
        if !raw.is_empty() {
            self.blocks.push(Block::Table(raw));
        }
        true
    }
}

// ---------------------------------------------------------------- tables

fn has_nested_table(doc: &Doc, table: NodeId) -> bool {
    let Some(node) = doc.html.tree.get(table) else {
        return false;
    };
    node.descendants()
        .skip(1)
        .any(|d| d.value().as_element().is_some_and(|e| e.name() == "table"))
}

/// `rowspan`/`colspan` as HTML parses them: leading digits after optional whitespace;
/// anything unreadable is 1. `0` is kept (rowspan 0 means "to the end of the group").
fn span_attr(el: &scraper::node::Element, name: &str) -> usize {
    let Some(v) = el.attr(name) else { return 1 };
    let digits: String = v
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(8)
        .collect();
    digits.parse::<usize>().map_or(1, |n| n.min(MAX_SPAN))
}

/// The caption and rows of a table (rows of nested tables excluded).
fn collect_rows(doc: &Doc, table: NodeId) -> (Option<(usize, String)>, Vec<GridRow>) {
    let mut caption = None;
    let mut rows = Vec::new();
    let mut group = 0;
    let add_row = |tr: NodeId, group: usize, rows: &mut Vec<GridRow>| {
        let Some(el) = element(doc, tr) else { return };
        if is_hidden(el) {
            return;
        }
        let cells = children(doc, tr)
            .into_iter()
            .filter_map(|td| {
                let el = element(doc, td)?;
                if !matches!(el.name(), "td" | "th") || is_hidden(el) {
                    return None;
                }
                Some(GridCell {
                    text: cell_text(doc, td),
                    line: doc.element_line(td),
                    rowspan: span_attr(el, "rowspan"),
                    colspan: span_attr(el, "colspan").max(1),
                })
            })
            .collect();
        rows.push(GridRow {
            line: doc.element_line(tr),
            group,
            cells,
        });
    };
    for child in children(doc, table) {
        let Some(el) = element(doc, child) else {
            continue;
        };
        match el.name() {
            "caption" if caption.is_none() && !is_hidden(el) => {
                let text = cell_text(doc, child);
                if !text.is_empty() {
                    caption = Some((doc.element_line(child), text));
                }
            }
            "tr" => {
                add_row(child, group, &mut rows);
            }
            "thead" | "tbody" | "tfoot" => {
                group += 1;
                for tr in children(doc, child) {
                    if element(doc, tr).is_some_and(|e| e.name() == "tr") {
                        add_row(tr, group, &mut rows);
                    }
                }
                group += 1;
            }
            _ => {}
        }
    }
    (caption, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::RawRow;
    use crate::import::grid::MAX_ROW_CELLS;

    fn texts(rows: &[RawRow]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn tables(blocks: &[Block]) -> Vec<&Vec<RawRow>> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn prose(blocks: &[Block]) -> Vec<(usize, &str)> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text { line, text } => Some((*line, text.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn table3_header_placeholders_follow_the_text_dump() {
        let html = "<table>\
            <tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=7>申请人情况</td></tr>\
            <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>\
            <tr><td>商业<br>企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\
            <tr><td rowspan=3>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>1</td></tr>\
            <tr><td rowspan=2>（三）不予公开</td><td>1.属于国家秘密</td><td>2</td></tr>\
            <tr><td>2.其他法律行政法规禁止公开</td><td>&nbsp;</td></tr>\
            <tr><td colspan=3>四、结转下年度继续办理</td><td> 0 </td></tr>\
            </table>";
        let blocks = read(html);
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(
            texts(t[0]),
            vec![
                vec![
                    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                    "申请人情况"
                ],
                vec!["", "自然人", "法人或其他组织", "总计"],
                vec![
                    "",
                    "",
                    "商业企业",
                    "科研机构",
                    "社会公益组织",
                    "法律服务机构",
                    "其他",
                    ""
                ],
                vec!["三、本年度办理结果", "（一）予以公开", "1"],
                vec!["", "（三）不予公开", "1.属于国家秘密", "2"],
                vec!["", "", "2.其他法律行政法规禁止公开", ""],
                vec!["四、结转下年度继续办理", "0"],
            ]
        );
    }

    #[test]
    fn table4_leaf_headers_under_rowspan_two() {
        let mut html = String::from(
            "<table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr><tr>",
        );
        for leaf in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
            html += &format!("<td rowspan=2>{leaf}</td>");
        }
        html += "<td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr><tr>";
        for _ in 0..2 {
            for leaf in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
                html += &format!("<td>{leaf}</td>");
            }
        }
        html += "</tr><tr>";
        for i in 0..15 {
            html += &format!("<td>{i}</td>");
        }
        html += "</tr></table>";
        let blocks = read(&html);
        let t = texts(tables(&blocks)[0]);
        assert_eq!(t[1].len(), 7);
        assert_eq!(t[2].len(), 15);
        assert_eq!(&t[2][..6], &["", "", "", "", "", "结果维持"]);
        assert_eq!(t[3].len(), 15);
    }

    #[test]
    fn differing_colspans_give_one_cell_per_physical_cell() {
        let html = "<table>\
            <tr><td colspan=5>第二十条第（五）项</td></tr>\
            <tr><td>信息内容</td><td>上一年项目数量</td><td colspan=2>本年增/减</td><td>处理决定数量</td></tr>\
            <tr><td>行政许可</td><td colspan=2>3</td><td>-1</td><td>7</td></tr></table>";
        let blocks = read(html);
        let t = texts(tables(&blocks)[0]);
        assert_eq!(
            t,
            vec![
                vec!["第二十条第（五）项"],
                vec!["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                vec!["行政许可", "3", "-1", "7"],
            ]
        );
    }

    #[test]
    fn hostile_spans_do_not_explode() {
        let html = "<table><tr><td colspan=99999999999 rowspan=99999999>第二十条第（一）项</td><td rowspan=0>x</td><td rowspan=-3 colspan=0>y</td></tr>\
            <tr><td>信息内容</td></tr><tr></tr><tr><td>z</td></tr></table>";
        let blocks = read(html);
        let t = texts(tables(&blocks)[0]);
        assert_eq!(t[0], vec!["第二十条第（一）项", "x", "y"]);
        assert_eq!(t[1], vec!["", "", "信息内容"]);
        assert_eq!(t[2], vec!["", ""]);
        assert_eq!(t[3], vec!["", "", "z"]);

        // Many rowspans: output stays bounded.
        let mut big = String::from("<table><tr>");
        for _ in 0..3000 {
            big += "<td rowspan=1000>第二十条</td>";
        }
        big += "</tr>";
        for _ in 0..50 {
            big += "<tr><td>1</td></tr>";
        }
        big += "</table>";
        let blocks = read(&big);
        let t = tables(&blocks);
        assert!(t[0].iter().all(|r| r.len() <= MAX_ROW_CELLS));
    }

    #[test]
    fn rowspans_stop_at_the_row_group() {
        let rows = vec![
            GridRow {
                line: 1,
                group: 1,
                cells: vec![GridCell {
                    text: "a".into(),
                    line: 1,
                    rowspan: 3,
                    colspan: 1,
                }],
            },
            GridRow {
                line: 2,
                group: 3,
                cells: vec![GridCell {
                    text: "b".into(),
                    line: 2,
                    rowspan: 1,
                    colspan: 1,
                }],
            },
        ];
        assert_eq!(texts(&resolve_grid(&rows)), vec![vec!["a"], vec!["b"]]);
        assert!(resolve_grid(&[]).is_empty());
    }

    #[test]
    fn prose_lines_breaks_and_skipped_content() {
        let html = "<html><head><title>页面标题</title><style>p{color:red}</style>\n\
            <script>var s = '<p>不是正文</p>';</script></head>\n\
            <body><div class=\"nav\">首页 &gt; 政务公开</div>\n\
            <p style=\"text-align:center\"><strong>某镇2020年政府信息公开工作年度报告</strong></p>\n\
            <p>第一行<br/>第二行</p>\n\
            <p><br />四、政府信息公开行政复议、行政诉讼情况</p>\n\
            <p>　　2020年，全镇政府信息公开\n工作推进有序，共公开 524 条。</p>\n\
            <div style=\"display:none\">隐藏</div><p>&nbsp;</p>\n\
            <div>外层<p>内层</p>尾巴</div>\n\
            </body></html>";
        let blocks = read(html);
        assert_eq!(
            prose(&blocks),
            vec![
                (3, "首页 > 政务公开"),
                (4, "某镇2020年政府信息公开工作年度报告"),
                (5, "第一行"),
                (5, "第二行"),
                (6, "四、政府信息公开行政复议、行政诉讼情况"),
                (7, "2020年，全镇政府信息公开工作推进有序，共公开 524 条。"),
                (10, "外层"),
                (10, "内层"),
                (10, "尾巴"),
            ]
        );
    }

    #[test]
    fn lines_point_at_the_start_of_wrapped_tags() {
        let html = "<html><body>\n\
            <p class=MsoNormal\n   style='text-indent:2em'>\n<span>一、总体情况</span></p>\n\
            <table border=1>\n\
            <tr>\n\
            <td width=48 rowspan=2 style='width:36pt;\n  border:solid windowtext 1.0pt'>\n<p>第二十条<br>第（一）项</p></td><td>x</td></tr>\n\
            <tr><td>信息内容</td><td>本年制发件数</td></tr>\n\
            <!-- <td>commented</td> -->\n\
            <tr><td>规章</td>\n<td\n>0</td></tr>\n\
            </table></body></html>";
        let blocks = read(html);
        assert_eq!(prose(&blocks), vec![(2, "一、总体情况")]);
        let t = tables(&blocks)[0];
        let cells: Vec<(usize, &str)> = t
            .iter()
            .flatten()
            .map(|c| (c.line, c.text.as_str()))
            .collect();
        assert_eq!(
            cells,
            vec![
                (7, "第二十条第（一）项"),
                (9, "x"),
                (10, ""),
                (10, "信息内容"),
                (10, "本年制发件数"),
                (12, "规章"),
                (13, "0"),
            ]
        );
    }

    #[test]
    fn text_lines_after_breaks_and_in_pre() {
        let html =
            "<body><p>甲<br>\n\n  乙段\n继续</p>\n<div>\n\n丙</div>\n<pre>\n一\n\n二</pre></body>";
        let blocks = read(html);
        assert_eq!(
            prose(&blocks),
            vec![(1, "甲"), (3, "乙段继续"), (5, "丙"), (8, "一"), (11, "二")]
        );
        let blocks = read("<html>\n<body>\n\n标题<br>\n正文</body></html>");
        assert_eq!(prose(&blocks), vec![(4, "标题"), (5, "正文")]);
    }

    #[test]
    fn layout_tables_are_read_as_prose() {
        let html = "<table><tr><td><div>某局2021年政府信息公开工作年度报告</div>\
            <table><tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td></tr></table>\
            </td><td>侧栏</td></tr></table>\
            <table><tr><td>发布日期：2022-01-20</td></tr></table>";
        let blocks = read(html);
        let p = prose(&blocks);
        assert_eq!(p[0].1, "某局2021年政府信息公开工作年度报告");
        assert!(p.iter().any(|(_, t)| *t == "侧栏"));
        assert!(p.iter().any(|(_, t)| *t == "发布日期：2022-01-20"));
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(texts(t[0])[1], vec!["信息内容", "本年制发件数"]);
    }

    #[test]
    fn scan_skips_comments_raw_text_and_quoted_brackets() {
        let src = "<!-- <p> -->\n<script>if (a<b) { x = '<td>'; }</script>\n<td title='a>b'\n class=x>\n<P>\n</td><!doctype x><p";
        let tags = scan_start_tags(src);
        let names: Vec<(&str, usize, usize)> = tags
            .iter()
            .map(|t| (t.name.as_str(), t.start_line, t.end_line))
            .collect();
        assert_eq!(names, vec![("script", 2, 2), ("td", 3, 4), ("p", 5, 5)]);
        assert_eq!(scan_start_tags("a\r\nb\rc\n<p>")[0].start_line, 4);
    }

    #[test]
    fn malformed_input_does_not_panic() {
        for html in [
            "",
            "<",
            "<table",
            "<table><tr><td rowspan=5>a",
            "</p></p><td>x</td><tr><th>y",
            "<table><caption>第二十条第（一）项</caption><tr><td>信息内容</td><td>本年制发件数</td></tr></table>",
            "<p>\u{1b}[31m红\u{1b}[0m</p>",
            "<pre>一\n二</pre>",
            &"<div><span>".repeat(3000),
        ] {
            let _ = read(html);
        }
        let caption = read("<table><caption>第二十条第（一）项</caption><tr><td>信息内容</td><td>本年制发件数</td></tr></table>");
        assert_eq!(texts(tables(&caption)[0])[0], vec!["第二十条第（一）项"]);
        assert_eq!(prose(&read("<p>\u{1b}[31m红\u{1b}[0m</p>"))[0].1, "红");
        assert_eq!(
            prose(&read("<pre>一\n二</pre>"))
                .iter()
                .map(|p| p.1)
                .collect::<Vec<_>>(),
            vec!["一", "二"]
        );
    }
}
