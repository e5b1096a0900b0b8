//! The binary encoding of the result cache's rows: a report's identity and findings
//! (and, in [`super::slim`], its cross-year data). Little-endian numbers, strings as a
//! length and their UTF-8 bytes. Decoding checks every length and tag and gives `None` for
//! anything malformed, so a damaged row is read again from its file, never trusted.
//! About five times faster to read back than the JSON it replaces (no field names, no
//! escapes, no text to parse into numbers).

use super::pairing::{Pair, PairHow};
use crate::check::{Finding, Outcome, Severity};
use crate::model::{Report, SourceInfo, Template};

pub(super) fn put_u8(out: &mut Vec<u8>, v: u8) {
    out.push(v);
}

pub(super) fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub(super) fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A length that does not fit in 32 bits cannot be written: the row is not kept.
pub(super) fn put_bytes(out: &mut Vec<u8>, b: &[u8]) -> Option<()> {
    put_u32(out, u32::try_from(b.len()).ok()?);
    out.extend_from_slice(b);
    Some(())
}

fn put_str(out: &mut Vec<u8>, s: &str) -> Option<()> {
    put_bytes(out, s.as_bytes())
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) -> Option<()> {
    match s {
        Some(s) => {
            put_u8(out, 1);
            put_str(out, s)
        }
        None => {
            put_u8(out, 0);
            Some(())
        }
    }
}

fn put_opt_u64(out: &mut Vec<u8>, v: Option<u64>) {
    match v {
        Some(v) => {
            put_u8(out, 1);
            put_u64(out, v);
        }
        None => put_u8(out, 0),
    }
}

/// Reads what the `put_*` functions wrote; every read is checked against the bytes left.
pub(super) struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    pub fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    pub fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(if self.flag()? {
            Some(self.string()?)
        } else {
            None
        })
    }
    fn opt_u64(&mut self) -> Option<Option<u64>> {
        Some(if self.flag()? {
            Some(self.u64()?)
        } else {
            None
        })
    }
    /// A count of items, each at least `min` bytes long: a count the bytes left cannot hold
    /// is malformed (and never sizes an allocation).
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min.max(1)) <= self.0.len()).then_some(n)
    }
    pub fn rest(&self) -> &'a [u8] {
        self.0
    }
}

/// A report's identity ([`super::slim::identity`]: schema version, source, agency, issuer,
/// key, year, template); the other fields are empty in an identity and not written.
pub(super) fn put_identity(out: &mut Vec<u8>, r: &Report) -> Option<()> {
    put_u32(out, r.schema_version);
    let s = &r.source;
    put_str(out, &s.file_name)?;
    put_str(out, &s.sha256)?;
    put_str(out, &s.format)?;
    put_str(out, &s.encoding)?;
    put_u32(out, u32::try_from(s.pages.len()).ok()?);
    for p in &s.pages {
        put_u64(out, *p as u64);
    }
    put_str(out, &r.agency)?;
    put_opt_str(out, r.issuer.as_deref())?;
    put_str(out, &r.agency_key)?;
    put_opt_u64(out, r.year.map(|y| y as u32 as u64));
    put_u8(
        out,
        match r.template {
            Template::F2019 => 0,
            Template::F2021 => 1,
            Template::Hybrid => 2,
        },
    );
    Some(())
}

pub(super) fn read_identity(r: &mut Reader) -> Option<Report> {
    let schema_version = r.u32()?;
    let (file_name, sha256, format, encoding) =
        (r.string()?, r.string()?, r.string()?, r.string()?);
    let n = r.count(8)?;
    let pages = (0..n)
        .map(|_| usize::try_from(r.u64()?).ok())
        .collect::<Option<Vec<usize>>>()?;
    let agency = r.string()?;
    let issuer = r.opt_string()?;
    let agency_key = r.string()?;
    let year = match r.opt_u64()? {
        Some(y) => Some(u32::try_from(y).ok()? as i32),
        None => None,
    };
    let template = match r.u8()? {
        0 => Template::F2019,
        1 => Template::F2021,
        2 => Template::Hybrid,
        _ => return None,
    };
    Some(super::slim::identity_of(super::slim::Identity {
        schema_version,
        source: SourceInfo {
            file_name,
            sha256,
            format,
            encoding,
            pages,
        },
        agency,
        issuer,
        agency_key,
        year,
        template,
    }))
}

/// Findings with every field, `operands` too (it is not part of the JSON output, but a
/// follow-up mark compares it).
pub(super) fn put_findings(out: &mut Vec<u8>, findings: &[Finding]) -> Option<()> {
    put_u32(out, u32::try_from(findings.len()).ok()?);
    for f in findings {
        put_str(out, &f.rule)?;
        put_u8(
            out,
            match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            },
        );
        put_u8(
            out,
            match f.outcome {
                Outcome::Fail => 0,
                Outcome::NotAssessable => 1,
            },
        );
        put_str(out, &f.location)?;
        put_str(out, &f.message)?;
        put_opt_str(out, f.expected.as_deref())?;
        put_opt_str(out, f.actual.as_deref())?;
        put_opt_str(out, f.quote.as_deref())?;
        put_opt_u64(out, f.line.map(|l| l as u64));
        put_u32(out, u32::try_from(f.cells.len()).ok()?);
        for c in &f.cells {
            put_str(out, c)?;
        }
        put_opt_str(out, f.operands.as_deref())?;
    }
    Some(())
}

pub(super) fn read_findings(r: &mut Reader) -> Option<Vec<Finding>> {
    // The smallest finding: two empty strings, two tags, three absent texts, … (22 bytes).
    let n = r.count(22)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let rule = r.string()?;
        let severity = match r.u8()? {
            0 => Severity::Error,
            1 => Severity::Warning,
            2 => Severity::Info,
            _ => return None,
        };
        let outcome = match r.u8()? {
            0 => Outcome::Fail,
            1 => Outcome::NotAssessable,
            _ => return None,
        };
        let location = r.string()?;
        let message = r.string()?;
        let (expected, actual, quote) = (r.opt_string()?, r.opt_string()?, r.opt_string()?);
        let line = match r.opt_u64()? {
            Some(l) => Some(usize::try_from(l).ok()?),
            None => None,
        };
        let k = r.count(4)?;
        let cells = (0..k)
            .map(|_| r.string())
            .collect::<Option<Vec<String>>>()?;
        let operands = r.opt_string()?;
        out.push(Finding {
            rule,
            severity,
            outcome,
            location,
            message,
            expected,
            actual,
            quote,
            line,
            cells,
            operands,
        });
    }
    Some(out)
}

/// The pairs of a batch: entry indices, agency key, years and how each was found.
pub(super) fn put_pairs(out: &mut Vec<u8>, pairs: &[Pair]) -> Option<()> {
    put_u32(out, u32::try_from(pairs.len()).ok()?);
    for p in pairs {
        put_u64(out, p.prev as u64);
        put_u64(out, p.cur as u64);
        put_str(out, &p.agency_key)?;
        put_u32(out, p.prev_year as u32);
        put_u32(out, p.cur_year as u32);
        match p.how {
            PairHow::Exact => put_u8(out, 0),
            PairHow::Suffix => put_u8(out, 1),
            PairHow::Fuzzy(score) => {
                put_u8(out, 2);
                put_u64(out, score as u64);
            }
            PairHow::Manual => put_u8(out, 3),
        }
    }
    Some(())
}

pub(super) fn read_pairs(r: &mut Reader) -> Option<Vec<Pair>> {
    let n = r.count(29)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let prev = usize::try_from(r.u64()?).ok()?;
        let cur = usize::try_from(r.u64()?).ok()?;
        let agency_key = r.string()?;
        let (prev_year, cur_year) = (r.u32()? as i32, r.u32()? as i32);
        let how = match r.u8()? {
            0 => PairHow::Exact,
            1 => PairHow::Suffix,
            2 => PairHow::Fuzzy(r.u64()? as i64),
            3 => PairHow::Manual,
            _ => return None,
        };
        out.push(Pair {
            prev,
            cur,
            agency_key,
            prev_year,
            cur_year,
            how,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_and_findings_read_back_and_cut_bytes_are_rejected() {
        let config = crate::check::Config::default();
        let mut compared = 0;
        for (_, r) in crate::generate::generate(5, 40, 1) {
            let id = super::super::slim::identity(&r);
            let findings = crate::check::check_report(&r, &config, crate::i18n::Lang::Zh);
            let mut bytes = Vec::new();
            put_identity(&mut bytes, &id).unwrap();
            put_findings(&mut bytes, &findings).unwrap();
            let mut rd = Reader(&bytes);
            assert_eq!(read_identity(&mut rd).as_ref(), Some(&id));
            let back = read_findings(&mut rd).unwrap();
            assert_eq!(back, findings);
            assert!(rd.rest().is_empty());
            compared += findings.len();
            for cut in [0, 3, bytes.len() / 2, bytes.len() - 1] {
                let mut rd = Reader(&bytes[..cut]);
                let whole = read_identity(&mut rd).and_then(|_| read_findings(&mut rd));
                assert!(whole.is_none(), "cut at {cut} of {}", bytes.len());
            }
        }
        assert!(compared > 0, "no finding encoded");
    }

    #[test]
    fn pairs_read_back_and_cut_bytes_are_rejected() {
        let reports: Vec<_> = crate::generate::generate(9, 30, 1)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let loaded: Vec<(usize, &Report)> = reports.iter().enumerate().collect();
        let mut pairs = super::super::pairing::pair_reports(&loaded);
        assert!(!pairs.is_empty());
        pairs[0].how = PairHow::Fuzzy(-7);
        pairs.last_mut().unwrap().how = PairHow::Manual;
        let mut bytes = Vec::new();
        put_pairs(&mut bytes, &pairs).unwrap();
        let mut rd = Reader(&bytes);
        assert_eq!(read_pairs(&mut rd), Some(pairs));
        assert!(rd.rest().is_empty());
        for cut in [0, 3, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                read_pairs(&mut Reader(&bytes[..cut])).is_none(),
                "cut at {cut}"
            );
        }
    }
}
