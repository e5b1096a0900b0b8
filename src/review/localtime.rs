//! The store keeps times in UTC (RFC 3339); people read them in their own zone. A [`Zone`] is
//! the system's (the `TZ` rules through `localtime_r`, so daylight saving is right for each
//! time) or a fixed offset (tests, and a screen that must not depend on the machine).

/// Which offset from UTC times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// The system's local time zone, per time.
    #[default]
    System,
    /// A fixed offset, in seconds east of UTC.
    Fixed(i32),
}

/// A time as shown: local date and time and the offset it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTime {
    /// `2026-11-20`.
    pub date: String,
    /// `16:05`.
    pub time: String,
    /// `UTC+8`, `UTC+5:30`, `UTC`.
    pub zone: String,
}

impl LocalTime {
    /// `2026-11-20 16:05 UTC+8`.
    pub fn full(&self) -> String {
        format!("{} {} {}", self.date, self.time, self.zone)
    }

    /// `11-20 16:05` (for narrow columns; the zone goes in the header).
    pub fn short(&self) -> String {
        format!("{} {}", self.date.get(5..).unwrap_or(&self.date), self.time)
    }
}

impl Zone {
    /// The offset in seconds east of UTC at instant `secs` (Unix time).
    pub fn offset_at(self, secs: i64) -> i32 {
        match self {
            Zone::Fixed(o) => o,
            Zone::System => system_offset(secs).unwrap_or(0),
        }
    }

    /// `at` (RFC 3339 UTC, as the store writes it) in this zone; `None` when `at` cannot be
    /// read.
    pub fn local(self, at: &str) -> Option<LocalTime> {
        let secs = parse_utc(at)?;
        let off = self.offset_at(secs);
        let t = secs + i64::from(off);
        let (days, rem) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let (y, m, d) = super::civil_from_days(days);
        Some(LocalTime {
            date: format!("{y:04}-{m:02}-{d:02}"),
            time: format!("{:02}:{:02}", rem / 3600, rem % 3600 / 60),
            zone: offset_label(off),
        })
    }

    /// `UTC+8` for the offset now (a column header).
    pub fn label_now(self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        offset_label(self.offset_at(now))
    }
}

/// `UTC+8`, `UTC-3:30`, `UTC`.
pub fn offset_label(off: i32) -> String {
    if off == 0 {
        return "UTC".into();
    }
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let (h, m) = (a / 3600, a % 3600 / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

/// Seconds since the epoch of `2026-11-20T08:05:00.000Z` (a `Z` time, fractions ignored).
fn parse_utc(at: &str) -> Option<i64> {
    let at = at.trim();
    let num = |r: std::ops::Range<usize>| at.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let s = num(17..19).unwrap_or(0);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + s)
}

/// (year, month, day) → days since 1970-01-01 (H. Hinnant's algorithm, the inverse of
/// `civil_from_days`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The system zone's offset at `secs`, from `localtime_r`.
fn system_offset(secs: i64) -> Option<i32> {
    // `time_t` is 32 bits on some targets.
    #[allow(clippy::useless_conversion)]
    let t: libc::time_t = secs.try_into().ok()?;
    // SAFETY: `tm` is plain data that `localtime_r` fills; both pointers are valid for the
    // call, and `localtime_r` is the thread-safe variant.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        i32::try_from(tm.tm_gmtoff).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_in_a_fixed_zone() {
        let cst = Zone::Fixed(8 * 3600);
        let t = cst.local("2026-11-20T08:05:00.000Z").unwrap();
        assert_eq!(t.full(), "2026-11-20 16:05 UTC+8");
        assert_eq!(t.short(), "11-20 16:05");
        // Past midnight local: the date moves on.
        let t = cst.local("2026-12-31T20:30:00.000Z").unwrap();
        assert_eq!(t.full(), "2027-01-01 04:30 UTC+8");
        let t = Zone::Fixed(-(3 * 3600 + 1800))
            .local("2026-03-01T01:00:00Z")
            .unwrap();
        assert_eq!(t.full(), "2026-02-28 21:30 UTC-3:30");
        assert_eq!(
            Zone::Fixed(0).local("2026-11-20T08:05:00Z").unwrap().zone,
            "UTC"
        );
        assert!(cst.local("yesterday").is_none());
        assert!(cst.local("2026-13-20T08:05:00Z").is_none());
    }

    #[test]
    fn days_round_trip() {
        for days in [-719_468, -1, 0, 1, 10_957, 20_423, 2_932_896] {
            let (y, m, d) = crate::review::civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
