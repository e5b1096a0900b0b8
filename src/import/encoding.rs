//! Bytes → text: UTF-8 with or without BOM (a few invalid bytes replaced, not a reason to
//! guess another encoding), UTF-16 with a BOM, GB18030/GBK (common on Chinese government
//! servers) and anything else chardetng recognises. Binary files are refused.

use super::ImportError;

pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE (BOM)`, `GB18030`, …
    pub encoding: String,
    /// What was repaired on the way, with the line (invalid UTF-8 bytes replaced by U+FFFD).
    pub notes: Vec<(usize, String)>,
}

/// At most this share of a UTF-8 file's characters may be invalid bytes: a stray byte from
/// an editor or a bad copy, not a file in another encoding (where nearly every Chinese
/// character is invalid UTF-8).
const MAX_INVALID_PER_VALID: usize = 20;

pub fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    // UTF-16 is full of NUL bytes, so it goes before the binary test; only with a BOM.
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE (BOM)"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE (BOM)"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, _had_errors) = enc.decode_without_bom_handling(rest);
            if text.trim().is_empty() {
                return Err(ImportError::Empty);
            }
            return Ok(Decoded {
                text: text.into_owned(),
                encoding: name.into(),
                notes: Vec::new(),
            });
        }
    }
    if looks_binary(bytes) {
        return Err(ImportError::Binary);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(Decoded {
            text: String::from_utf8_lossy(rest).into_owned(),
            encoding: "UTF-8 (BOM)".into(),
            notes: invalid_utf8_notes(rest),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text: text.to_string(),
                encoding: "UTF-8".into(),
                notes: Vec::new(),
            })
        }
        // Valid UTF-8 up to a character cut off at the very end: a half-downloaded file,
        // not another encoding (guessing one would turn the whole page into mojibake).
        Err(e) if e.error_len().is_none() => {
            return Ok(Decoded {
                text: String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
                encoding: "UTF-8".into(),
                notes: Vec::new(),
            })
        }
        Err(_) if mostly_utf8(bytes) => {
            return Ok(Decoded {
                text: String::from_utf8_lossy(bytes).into_owned(),
                encoding: "UTF-8".into(),
                notes: invalid_utf8_notes(bytes),
            })
        }
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), true);
    // GBK pages are decoded as GB18030, its superset.
    let encoding = if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    };
    let (text, used, _had_errors) = encoding.decode(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: used.name().to_string(),
        notes: Vec::new(),
    })
}

/// Valid multi-byte UTF-8 characters and invalid byte sequences, counted in one pass.
fn utf8_census(bytes: &[u8]) -> (usize, Vec<usize>) {
    let (mut valid, mut invalid) = (0usize, Vec::new());
    let mut rest = bytes;
    let mut offset = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += s.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let good = e.valid_up_to();
                valid += std::str::from_utf8(&rest[..good])
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                invalid.push(offset + good);
                let skip = good + e.error_len().unwrap_or(rest.len() - good).max(1);
                offset += skip;
                rest = &rest[skip.min(rest.len())..];
                if rest.is_empty() {
                    return (valid, invalid);
                }
            }
        }
    }
}

/// UTF-8 with a few bad bytes: many valid multi-byte characters per invalid sequence.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (valid, invalid) = utf8_census(bytes);
    !invalid.is_empty() && valid >= MAX_INVALID_PER_VALID * invalid.len()
}

/// One note naming the lines whose invalid bytes were replaced.
fn invalid_utf8_notes(bytes: &[u8]) -> Vec<(usize, String)> {
    let (_, invalid) = utf8_census(bytes);
    if invalid.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<usize> = invalid
        .iter()
        .map(|&at| 1 + bytes[..at].iter().filter(|b| **b == b'\n').count())
        .collect();
    lines.dedup();
    let shown: Vec<String> = lines.iter().take(10).map(|l| l.to_string()).collect();
    let more = if lines.len() > 10 { ", …" } else { "" };
    vec![(
        lines[0],
        format!(
            "{} invalid UTF-8 byte sequence(s) replaced by U+FFFD on line(s) {}{more}",
            invalid.len(),
            shown.join(", ")
        ),
    )]
}

/// NUL bytes or many C0 control bytes mean this is not text.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    controls * 20 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_and_bom_are_decoded() {
        let (gbk, _, _) = encoding_rs::GBK
            .encode("三七市镇2020年政府信息公开工作年度报告，本年新收政府信息公开申请数量");
        let d = decode(&gbk).unwrap();
        assert!(d.text.starts_with("三七市镇"), "{}", d.text);
        assert_eq!(d.encoding, "gb18030");
        let d = decode("\u{feff}一、总体情况".as_bytes()).unwrap();
        assert_eq!(d.text, "一、总体情况");
        assert_eq!(d.encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn utf8_cut_mid_character_stays_utf8() {
        let bytes = "一、总体情况".as_bytes();
        let d = decode(&bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(d.text, "一、总体情");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf8_with_stray_bytes_stays_utf8() {
        let mut bytes = "三七市镇2020年政府信息公开工作年度报告\n一、总体情况\n"
            .repeat(3)
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"\xff\xfe bad\n");
        bytes.extend_from_slice("二、主动公开政府信息情况\n".as_bytes());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("三七市镇"));
        assert!(d.text.contains("二、主动公开政府信息情况"));
        assert!(d.text.contains('\u{fffd}'));
        assert_eq!(d.notes.len(), 1);
        assert_eq!(d.notes[0].0, 7);
        assert!(d.notes[0].1.contains("line(s) 7"), "{}", d.notes[0].1);
    }

    #[test]
    fn utf16_with_bom() {
        let text = "一、总体情况\n\t0\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        let d = decode(&le).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            (text, "UTF-16LE (BOM)")
        );
        let d = decode(&be).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            (text, "UTF-16BE (BOM)")
        );
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(matches!(decode(b""), Err(ImportError::Empty)));
        assert!(matches!(decode(b" \n\n"), Err(ImportError::Empty)));
        assert!(matches!(
            decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
            Err(ImportError::Binary)
        ));
    }
}
