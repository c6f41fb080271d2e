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
    localtime_file().unwrap_or_else(TimeZone::system)
}

/// The zone `/etc/localtime` describes, when `TZ` does not override it and the file reads as
/// a time zone.
#[cfg(unix)]
fn localtime_file() -> Option<TimeZone> {
    if std::env::var_os("TZ").is_some() {
        return None;
    }
    let bytes = std::fs::read("/etc/localtime").ok()?;
    TimeZone::tzif("Local", &bytes).ok()
}

/// Elsewhere the system's own lookup is used.
#[cfg(not(unix))]
fn localtime_file() -> Option<TimeZone> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_jiffs_own_lookup_gives() {
        // Read both ways around the call, so a run across midnight cannot fail it.
        let before = jiff::Zoned::now().date();
        let ours = today();
        let after = jiff::Zoned::now().date();
        assert!(ours == before || ours == after, "{ours} is neither {before} nor {after}");
    }
}
