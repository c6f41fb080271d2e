//! Today's date where the user is: the date a check is made at when no `--as-of` is given.
//!
//! Asking jiff for the system's time zone by name builds its whole time zone database first,
//! which walks every file under `/usr/share/zoneinfo`: about a millisecond, a third of a
//! one-file check. A date needs only the offset from UTC now, so on Unix, unless `TZ` names
//! the zone, the zone is read straight from `/etc/localtime` (the file the C library reads).
//! Anything that cannot be read that way falls back to jiff's own lookup, so the answer is
//! the same either way.

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Today's date in the local time zone.
pub fn today() -> Date {
    local_zone().to_datetime(jiff::Timestamp::now()).date()
}

/// The local time zone, without building the time zone database where that can be avoided.
fn local_zone() -> TimeZone {
    let localtime = || if cfg!(unix) { std::fs::read("/etc/localtime").ok() } else { None };
    zone_from_file(std::env::var_os("TZ").is_some(), localtime).unwrap_or_else(TimeZone::system)
}

/// The zone a TZif file describes, read only when `TZ` does not name the zone (`tz_set`);
/// `None` when it is not read or does not read as a time zone.
fn zone_from_file(tz_set: bool, read: impl FnOnce() -> Option<Vec<u8>>) -> Option<TimeZone> {
    if tz_set {
        return None;
    }
    TimeZone::tzif("Local", &read()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TZif (version 1) file of one zone, 14 hours ahead of UTC with no changes: the
    /// header, the six counts, the one local time type and its abbreviation.
    fn fourteen_hours_ahead() -> Vec<u8> {
        let mut file = b"TZif".to_vec();
        file.extend_from_slice(&[0; 16]);
        for count in [0u32, 0, 0, 0, 1, 4] {
            file.extend_from_slice(&count.to_be_bytes());
        }
        file.extend_from_slice(&(14 * 3600i32).to_be_bytes());
        file.extend_from_slice(&[0, 0]);
        file.extend_from_slice(b"+14\0");
        file
    }

    #[test]
    fn the_zone_is_read_from_the_file_unless_tz_names_one() {
        let zone = zone_from_file(false, || Some(fourteen_hours_ahead())).map(|zone| {
            let noon: jiff::Timestamp = "2026-12-02T12:00:00Z".parse().unwrap_or_default();
            zone.to_datetime(noon).date()
        });
        assert_eq!(zone, Some(jiff::civil::date(2026, 12, 3)), "noon UTC is the next day 14 hours ahead");
        assert!(zone_from_file(true, || Some(fourteen_hours_ahead())).is_none(), "TZ set: jiff decides");
        assert!(zone_from_file(false, || None).is_none(), "no file: jiff decides");
        assert!(zone_from_file(false, || Some(b"not a zone".to_vec())).is_none(), "not TZif: jiff decides");
    }

    #[test]
    fn today_is_the_date_jiffs_own_lookup_gives() {
        // Read both ways around the call, so a run across midnight cannot fail it.
        let before = jiff::Zoned::now().date();
        let ours = today();
        let after = jiff::Zoned::now().date();
        assert!(ours == before || ours == after, "{ours} is neither {before} nor {after}");
    }
}
