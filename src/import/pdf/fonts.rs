//! PDF fonts as the text layer needs them: how a string splits into character codes, what
//! Unicode text each code stands for (ToUnicode CMap or a simple encoding) and how far each
//! glyph advances the pen.

use lopdf::{Dictionary, Document, Encoding, Object};
use std::collections::HashMap;

/// Bound on any font stream lopdf decompresses for us (a ToUnicode CMap is a few kilobytes).
const MAX_FONT_STREAM: usize = 4 * 1024 * 1024;

/// One font resource of a page, ready to decode strings.
pub struct Font<'a> {
    /// `BaseFont` without the subset prefix, for messages (`宋体`).
    pub name: String,
    /// Type0 (composite) fonts take two bytes per code; simple fonts one.
    two_byte: bool,
    /// Written top to bottom (`Identity-V`): the pen moves down, not right.
    pub vertical: bool,
    encoding: Option<Encoding<'a>>,
    widths: HashMap<u32, f32>,
    default_width: f32,
}

/// One decoded glyph: its Unicode text (`None` when the font has no usable map for the
/// code), its advance in thousandths of the font size, and whether it is the single-byte
/// space that word spacing applies to.
pub struct Code {
    pub text: Option<String>,
    pub advance: f32,
    pub is_space: bool,
}

impl<'a> Font<'a> {
    pub fn load(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
        let name = name_of(dict, b"BaseFont")
            .map(|n| match n.split_once('+') {
                Some((prefix, rest)) if prefix.len() == 6 => rest.to_string(),
                _ => n,
            })
            .unwrap_or_else(|| "?".into());
        let subtype = name_of(dict, b"Subtype").unwrap_or_default();
        let encoding_name = name_of(dict, b"Encoding").unwrap_or_default();
        let two_byte = subtype == "Type0";
        let vertical = two_byte && encoding_name.ends_with("-V");
        let encoding = dict
            .get_font_encoding_with_limit(doc, MAX_FONT_STREAM)
            .ok()
            // A composite font whose map lopdf could not build falls back to a one-byte
            // encoding: that decodes nothing right, so treat it as no map at all.
            .filter(|e| !two_byte || usable_composite(e));
        let (widths, default_width) = if two_byte {
            cid_widths(doc, dict)
        } else {
            simple_widths(doc, dict)
        };
        Font {
            name,
            two_byte,
            vertical,
            encoding,
            widths,
            default_width,
        }
    }

    /// Split a shown string into its codes, decoded.
    pub fn codes(&self, bytes: &[u8]) -> Vec<Code> {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|chunk| {
                let code = chunk.iter().fold(0u32, |acc, b| acc << 8 | *b as u32);
                let text = self
                    .encoding
                    .as_ref()
                    .and_then(|e| e.bytes_to_string(chunk).ok())
                    .filter(|t| !t.is_empty() && !t.contains('\u{fffd}'));
                Code {
                    text,
                    advance: self
                        .widths
                        .get(&code)
                        .copied()
                        .unwrap_or(self.default_width),
                    is_space: !self.two_byte && code == 32,
                }
            })
            .collect()
    }
}

fn usable_composite(e: &Encoding) -> bool {
    match e {
        Encoding::UnicodeMapEncoding(_) => true,
        Encoding::SimpleEncoding(name) => matches!(*name, b"UniGB-UCS2-H" | b"UniGB-UTF16-H"),
        _ => false,
    }
}

fn name_of(dict: &Dictionary, key: &[u8]) -> Option<String> {
    dict.get(key)
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// `/W` of the descendant CIDFont: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_widths(doc: &Document, dict: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let mut widths = HashMap::new();
    let descendant = dict
        .get(b"DescendantFonts")
        .map(|o| deref(doc, o))
        .ok()
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let Some(cid) = descendant else {
        return (widths, 1000.0);
    };
    let default = cid.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
    let Some(w) = cid
        .get(b"W")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
    else {
        return (widths, default);
    };
    let mut i = 0;
    while i + 1 < w.len() && widths.len() < 65_536 {
        let Some(first) = number(deref(doc, &w[i])) else {
            break;
        };
        match deref(doc, &w[i + 1]) {
            Object::Array(list) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = number(v) {
                        widths.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            other => {
                let (Some(last), Some(v)) = (number(other), w.get(i + 2).and_then(number)) else {
                    break;
                };
                let (first, last) = (first as u32, (last as u32).min(first as u32 + 65_535));
                for c in first..=last {
                    widths.insert(c, v);
                }
                i += 3;
            }
        }
    }
    (widths, default)
}

/// `/FirstChar` and `/Widths` of a simple font.
fn simple_widths(doc: &Document, dict: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let first = dict.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
    let mut widths = HashMap::new();
    if let Some(list) = dict
        .get(b"Widths")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
    {
        for (k, v) in list.iter().take(256).enumerate() {
            if let Some(v) = number(deref(doc, v)) {
                widths.insert(first + k as u32, v);
            }
        }
    }
    (widths, 500.0)
}
