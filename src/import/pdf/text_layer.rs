//! The text layer of a PDF: every glyph a page shows, with its Unicode text and where it
//! lands on the page. An interpreter of the content-stream operators that place text
//! (PDF 32000-1 §8.3–9.4: `q Q cm BT ET Tf Td TD Tm T* TL Tc Tw Tz Ts Tj TJ ' "` and form
//! XObjects), because lopdf's own text extraction keeps no positions.

use super::fonts::{Code, Font};
use super::positions::{Glyph, Page};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;

/// Bound on one page's decompressed content, and on the glyphs of a whole document: a real
/// report has a few thousand glyphs a page.
const MAX_CONTENT_BYTES: usize = 16 * 1024 * 1024;
const MAX_GLYPHS: usize = 2_000_000;
const MAX_FORM_DEPTH: usize = 8;

/// What the text layer of a document holds.
pub struct TextLayer {
    pub pages: Vec<Page>,
    /// Glyphs drawn with a font that gives no Unicode text for them, by font name.
    pub unmapped: Vec<(String, usize)>,
    /// Images drawn, over all pages (a scan is images and no glyphs).
    pub images: usize,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b`: apply `a`, then `b` (PDF's row-vector convention).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

fn translate(x: f32, y: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, x, y]
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
    font: Option<ObjectId>,
    font_size: f32,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: IDENTITY,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            font: None,
            font_size: 0.0,
        }
    }
}

/// Read every page's glyphs. Errors are lopdf's, for pages whose content cannot be read.
pub fn read(doc: &Document) -> Result<TextLayer, String> {
    let mut fonts: HashMap<ObjectId, Font> = HashMap::new();
    let mut layer = TextLayer {
        pages: Vec::new(),
        unmapped: Vec::new(),
        images: 0,
    };
    let mut unmapped: HashMap<String, usize> = HashMap::new();
    let mut total = 0usize;
    for (number, page_id) in doc.get_pages() {
        let page_dict = doc
            .get_dictionary(page_id)
            .map_err(|e| format!("page {number}: {e}"))?;
        let media = page_box(doc, page_dict);
        let data = doc
            .get_page_content_with_limit(page_id, MAX_CONTENT_BYTES)
            .map_err(|e| format!("page {number}: {e}"))?;
        let content = Content::decode(&data).map_err(|e| format!("page {number}: {e}"))?;
        let resources = page_resources(doc, page_id);
        let mut run = Run {
            doc,
            fonts: &mut fonts,
            glyphs: Vec::new(),
            unmapped: &mut unmapped,
            images: 0,
            origin: (media[0], media[3]),
            budget: MAX_GLYPHS.saturating_sub(total),
        };
        run.content(&content, resources, IDENTITY, 0);
        total += run.glyphs.len();
        layer.images += run.images;
        layer.pages.push(Page {
            number: number as usize,
            width: media[2] - media[0],
            height: media[3] - media[1],
            glyphs: run.glyphs,
        });
    }
    let mut list: Vec<(String, usize)> = unmapped.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    layer.unmapped = list;
    Ok(layer)
}

/// `[x0 y0 x1 y1]` of the page's MediaBox (inherited from the page tree), A4 when missing.
fn page_box(doc: &Document, page: &Dictionary) -> [f32; 4] {
    let mut dict = Some(page);
    for _ in 0..32 {
        let Some(d) = dict else { break };
        if let Ok(arr) = d.get(b"MediaBox").and_then(|o| deref(doc, o).as_array()) {
            let v: Vec<f32> = arr.iter().filter_map(|o| number(deref(doc, o))).collect();
            if v.len() == 4 {
                return [
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    v[0].max(v[2]),
                    v[1].max(v[3]),
                ];
            }
        }
        dict = d
            .get(b"Parent")
            .and_then(|o| o.as_reference())
            .and_then(|id| doc.get_dictionary(id))
            .ok();
    }
    [0.0, 0.0, 595.0, 842.0]
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut dict = doc.get_dictionary(page_id).ok();
    for _ in 0..32 {
        let d = dict?;
        if let Ok(r) = d.get(b"Resources").and_then(|o| deref(doc, o).as_dict()) {
            return Some(r);
        }
        dict = d
            .get(b"Parent")
            .and_then(|o| o.as_reference())
            .and_then(|id| doc.get_dictionary(id))
            .ok();
    }
    None
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// One page being interpreted.
struct Run<'d, 'f> {
    doc: &'d Document,
    fonts: &'f mut HashMap<ObjectId, Font<'d>>,
    glyphs: Vec<Glyph>,
    unmapped: &'f mut HashMap<String, usize>,
    images: usize,
    /// MediaBox left and top: glyph positions are measured from there, y downwards.
    origin: (f32, f32),
    budget: usize,
}

impl<'d> Run<'d, '_> {
    fn content(
        &mut self,
        content: &Content,
        resources: Option<&'d Dictionary>,
        base: Matrix,
        depth: usize,
    ) {
        let mut gs = GState {
            ctm: base,
            ..GState::default()
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in &content.operations {
            if self.glyphs.len() >= self.budget {
                return;
            }
            let nums: Vec<f32> = op.operands.iter().filter_map(number).collect();
            let n = |i: usize| nums.get(i).copied().unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if stack.len() < 256 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                "cm" if nums.len() == 6 => {
                    gs.ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &gs.ctm);
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    gs.font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font_id(resources, name));
                    gs.font_size = op.operands.get(1).and_then(number).unwrap_or(0.0);
                }
                "Tc" => gs.char_spacing = n(0),
                "Tw" => gs.word_spacing = n(0),
                "Tz" => gs.h_scale = n(0) / 100.0,
                "TL" => gs.leading = n(0),
                "Ts" => gs.rise = n(0),
                "Td" => {
                    tlm = mul(&translate(n(0), n(1)), &tlm);
                    tm = tlm;
                }
                "TD" => {
                    gs.leading = -n(1);
                    tlm = mul(&translate(n(0), n(1)), &tlm);
                    tm = tlm;
                }
                "Tm" if nums.len() == 6 => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&translate(0.0, -gs.leading), &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "\"" {
                        gs.word_spacing = n(0);
                        gs.char_spacing = n(1);
                    }
                    if op.operator != "Tj" && op.operator != "TJ" {
                        tlm = mul(&translate(0.0, -gs.leading), &tlm);
                        tm = tlm;
                    }
                    for operand in &op.operands {
                        match operand {
                            Object::String(bytes, _) => self.show(bytes, &gs, &mut tm),
                            Object::Array(items) if op.operator == "TJ" => {
                                for item in items {
                                    match item {
                                        Object::String(bytes, _) => self.show(bytes, &gs, &mut tm),
                                        other => {
                                            if let Some(adj) = number(other) {
                                                self.kern(adj, &gs, &mut tm);
                                            }
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "BI" => self.images += 1,
                "Do" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                        continue;
                    };
                    self.xobject(resources, name, &gs, depth);
                }
                _ => {}
            }
        }
    }

    fn font_id(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) -> Option<ObjectId> {
        let doc = self.doc;
        let fonts = resources?
            .get(b"Font")
            .ok()
            .map(|o| deref(doc, o))?
            .as_dict()
            .ok()?;
        let id = fonts.get(name).ok()?.as_reference().ok()?;
        if let std::collections::hash_map::Entry::Vacant(slot) = self.fonts.entry(id) {
            slot.insert(Font::load(doc, doc.get_dictionary(id).ok()?));
        }
        Some(id)
    }

    fn xobject(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        gs: &GState,
        depth: usize,
    ) {
        let doc = self.doc;
        let Some(stream) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(name).ok())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_stream().ok())
        else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(|o| o.as_name()) {
            Ok(b"Image") => self.images += 1,
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .and_then(|o| o.as_array())
                    .ok()
                    .map(|a| a.iter().filter_map(number).collect::<Vec<f32>>())
                    .filter(|v| v.len() == 6)
                    .map_or(IDENTITY, |v| [v[0], v[1], v[2], v[3], v[4], v[5]]);
                let inner = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_dict().ok())
                    .or(resources);
                let data = if stream.dict.has(b"Filter") {
                    match stream.decompressed_content() {
                        Ok(d) if d.len() <= MAX_CONTENT_BYTES => d,
                        _ => return,
                    }
                } else {
                    stream.content.clone()
                };
                if let Ok(content) = Content::decode(&data) {
                    self.content(&content, inner, mul(&matrix, &gs.ctm), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Place the glyphs of one shown string and move the pen past them.
    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix) {
        let Some(font) = gs.font.and_then(|id| self.fonts.get(&id)) else {
            return;
        };
        let size = gs.font_size;
        let codes: Vec<Code> = font.codes(bytes);
        let vertical = font.vertical;
        let font_name = font.name.clone();
        for code in codes {
            if self.glyphs.len() >= self.budget {
                return;
            }
            let trm = mul(
                &mul(&[size * gs.h_scale, 0.0, 0.0, size, 0.0, gs.rise], tm),
                &gs.ctm,
            );
            let em = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            // The glyph's baseline from its left edge to its right edge, in text space.
            let (left, right) = if vertical {
                ((-0.5, -0.88), (0.5, -0.88))
            } else {
                ((0.0, 0.0), (code.advance / 1000.0, 0.0))
            };
            let p0 = apply(&trm, left.0, left.1);
            let p1 = apply(&trm, right.0, right.1);
            match code.text {
                Some(text) if !text.trim().is_empty() => self.glyphs.push(Glyph {
                    text,
                    x: p0.0.min(p1.0) - self.origin.0,
                    y: self.origin.1 - p0.1,
                    w: (p1.0 - p0.0).abs(),
                    size: em,
                }),
                Some(_) => {}
                None => *self.unmapped.entry(font_name.clone()).or_insert(0) += 1,
            }
            let spacing = gs.char_spacing + if code.is_space { gs.word_spacing } else { 0.0 };
            let step = if vertical {
                translate(0.0, -size + spacing)
            } else {
                translate((code.advance / 1000.0 * size + spacing) * gs.h_scale, 0.0)
            };
            *tm = mul(&step, tm);
        }
    }

    /// A number in a `TJ` array: move the pen back by thousandths of the font size.
    fn kern(&mut self, adj: f32, gs: &GState, tm: &mut Matrix) {
        let vertical = gs
            .font
            .and_then(|id| self.fonts.get(&id))
            .is_some_and(|f| f.vertical);
        let d = -adj / 1000.0 * gs.font_size;
        let step = if vertical {
            translate(0.0, d)
        } else {
            translate(d * gs.h_scale, 0.0)
        };
        *tm = mul(&step, tm);
    }
}
