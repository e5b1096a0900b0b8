//! Bytes → text: UTF-8 with or without BOM, GB18030/GBK (common on Chinese government
//! servers) and anything else chardetng recognises. Binary files are refused.

use super::ImportError;

pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, `GB18030`, …
    pub encoding: String,
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if looks_binary(bytes) {
        return Err(ImportError::Binary);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(Decoded {
            text: String::from_utf8_lossy(rest).into_owned(),
            encoding: "UTF-8 (BOM)".into(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text: text.to_string(),
                encoding: "UTF-8".into(),
            })
        }
        // Valid UTF-8 up to a character cut off at the very end: a half-downloaded file,
        // not another encoding (guessing one would turn the whole page into mojibake).
        Err(e) if e.error_len().is_none() => {
            return Ok(Decoded {
                text: String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
                encoding: "UTF-8".into(),
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
    })
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
    fn empty_and_binary_are_refused() {
        assert!(matches!(decode(b""), Err(ImportError::Empty)));
        assert!(matches!(decode(b" \n\n"), Err(ImportError::Empty)));
        assert!(matches!(
            decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
            Err(ImportError::Binary)
        ));
    }
}
