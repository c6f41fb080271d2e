//! Exact values shared by the policy language and constitutions: percentages, money,
//! calendar durations and dates, with parsing and display the way a legal officer writes them.
//!
//! Nothing here is floating point: `80%` is exactly 80%, `£663,540.10` exactly that many
//! pence, and a 3-year term stays 3 calendar years (36 months), never 1095.75 days.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;

/// A calendar duration: months (12 to a year) and days, kept apart because they do not
/// convert exactly into each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Duration {
    /// Whole months (a year is 12).
    pub months: i64,
    /// Whole days.
    pub days: i64,
}

impl Duration {
    /// The sum of two durations, component by component (`None` on overflow).
    pub fn checked_add(self, other: Duration) -> Option<Duration> {
        Some(Duration { months: self.months.checked_add(other.months)?, days: self.days.checked_add(other.days)? })
    }

    /// The duration negated.
    pub fn negated(self) -> Duration {
        Duration { months: self.months.saturating_neg(), days: self.days.saturating_neg() }
    }

    /// Years as an exact decimal: months ÷ 12 + days ÷ 365, to 20 decimal places.
    pub fn years(self) -> Option<Decimal> {
        let months = Decimal::from(self.months).checked_div(Decimal::from(12))?;
        let days = Decimal::from(self.days).checked_div(Decimal::from(365))?;
        Some(months.checked_add(days)?.round_dp(20).normalize())
    }

    /// True when the duration counts only months (and years).
    pub fn is_calendar_months(self) -> bool {
        self.days == 0
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn unit(f: &mut fmt::Formatter<'_>, count: i64, singular: &str) -> fmt::Result {
            if count == 1 || count == -1 { write!(f, "{count} {singular}") } else { write!(f, "{count} {singular}s") }
        }
        let years = self.months / 12;
        let months = self.months % 12;
        let mut parts = 0;
        if years != 0 {
            unit(f, years, "year")?;
            parts += 1;
        }
        if months != 0 {
            if parts > 0 {
                f.write_str(" ")?;
            }
            unit(f, months, "month")?;
            parts += 1;
        }
        if self.days != 0 || parts == 0 {
            if parts > 0 {
                f.write_str(" ")?;
            }
            unit(f, self.days, "day")?;
        }
        Ok(())
    }
}

/// Why a value could not be read in one of the officer's notations.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotationError {
    /// Not a percentage such as `75%`.
    #[error("`{0}` is not a percentage")]
    Percent(String),
    /// Not an amount of money such as `£663,540`.
    #[error("`{0}` is not an amount of money")]
    Money(String),
    /// Not a duration such as `3 years`.
    #[error("`{0}` is not a duration")]
    Duration(String),
}

impl NotationError {
    /// How to write the value correctly.
    pub fn help(&self) -> &'static str {
        match self {
            NotationError::Percent(_) => "write a percentage as digits and `%`, for example \"75%\" or \"80.5%\"",
            NotationError::Money(_) => {
                "write money in pounds, for example \"£663,540\", \"£663540.10\", \"£900k\" or \"£1.2m\""
            }
            NotationError::Duration(_) => {
                "write a duration as a whole number and a unit, for example \"3 years\", \"18 months\" or \"90 days\""
            }
        }
    }
}

/// Parses a percentage written `75%` or `80.5%` into its number of percent.
pub fn parse_percent(text: &str) -> Result<Decimal, NotationError> {
    let error = || NotationError::Percent(text.to_owned());
    let digits = text.trim().strip_suffix('%').ok_or_else(error)?.trim_end();
    if !is_plain_decimal(digits) {
        return Err(error());
    }
    Decimal::from_str(digits).map(|value| value.normalize()).map_err(|_| error())
}

/// True for `123` or `123.45`: ASCII digits with at most one point between digits.
fn is_plain_decimal(text: &str) -> bool {
    let mut parts = text.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses money: optional `£`, digits with optional thousands commas, optional pence,
/// optional `k` or `m` (`£663,540`, `£663540.10`, `£1.2m`, `£900k`), into pounds.
pub fn parse_money(text: &str) -> Result<Decimal, NotationError> {
    let error = || NotationError::Money(text.to_owned());
    let body = text.trim();
    let body = body.strip_prefix('£').unwrap_or(body);
    let (body, multiplier) = if let Some(rest) = body.strip_suffix(['m', 'M']) {
        (rest, Decimal::from(1_000_000))
    } else if let Some(rest) = body.strip_suffix(['k', 'K']) {
        (rest, Decimal::from(1_000))
    } else {
        (body, Decimal::ONE)
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    if !thousands_grouping_ok(whole) {
        return Err(error());
    }
    if let Some(fraction) = fraction {
        let pence_only = multiplier == Decimal::ONE;
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) || (pence_only && fraction.len() > 2) {
            return Err(error());
        }
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    let number = match fraction {
        Some(fraction) => format!("{digits}.{fraction}"),
        None => digits,
    };
    let value = Decimal::from_str(&number).map_err(|_| error())?;
    value.checked_mul(multiplier).map(|value| value.normalize()).ok_or_else(error)
}

/// Digits, optionally grouped in threes by commas (`663,540`, `663540`).
fn thousands_grouping_ok(whole: &str) -> bool {
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !whole.contains(',') {
        return true;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|group| group.len() == 3)
}

/// Parses a duration: a whole number and a unit (`3 years`, `18 months`, `90 days`, `1 year`).
pub fn parse_duration(text: &str) -> Result<Duration, NotationError> {
    let error = || NotationError::Duration(text.to_owned());
    let mut words = text.split_whitespace();
    let (Some(count), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return Err(error());
    };
    if !count.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error());
    }
    let count: i64 = count.parse().map_err(|_| error())?;
    duration_of(count, unit).ok_or_else(error)
}

/// A duration of `count` units, where `unit` is `year(s)`, `month(s)` or `day(s)`.
pub fn duration_of(count: i64, unit: &str) -> Option<Duration> {
    match unit {
        "year" | "years" => Some(Duration { months: count.checked_mul(12)?, days: 0 }),
        "month" | "months" => Some(Duration { months: count, days: 0 }),
        "day" | "days" => Some(Duration { months: 0, days: count }),
        _ => None,
    }
}

/// Adds a duration to a date on the calendar: months first, clamped to the end of the
/// month (2024-02-29 + 1 year = 2025-02-28), then days. `None` when out of range.
pub fn add_duration(date: Date, duration: Duration) -> Option<Date> {
    let months = jiff::Span::new().try_months(duration.months).ok()?;
    let days = jiff::Span::new().try_days(duration.days).ok()?;
    date.checked_add(months).ok()?.checked_add(days).ok()
}

/// Formats a percentage: `75%`, `80.5%`.
pub fn format_percent(value: Decimal) -> String {
    format!("{}%", value.normalize())
}

/// Formats money as an officer writes it: `£663,540`, `£663,540.10`, and whole
/// millions to two places as `£1.2m` or `£272m`.
pub fn format_money(value: Decimal) -> String {
    let sign = if value.is_sign_negative() && !value.is_zero() { "-" } else { "" };
    let value = value.abs();
    let million = Decimal::from(1_000_000);
    if value >= million {
        if let Some(millions) = value.checked_div(million) {
            if millions.round_dp(2) == millions {
                return format!("{sign}£{}m", millions.normalize());
            }
        }
    }
    let whole = value.trunc();
    let pence = (value - whole).round_dp(2);
    let mut digits = whole.normalize().to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let split = digits.len() - 3;
        let tail = digits.split_off(split);
        grouped = format!(",{tail}{grouped}");
    }
    grouped = format!("{digits}{grouped}");
    if pence.is_zero() {
        format!("{sign}£{grouped}")
    } else {
        let pence = (pence * Decimal::from(100)).trunc().normalize();
        format!("{sign}£{grouped}.{pence:0>2}")
    }
}

/// A single value of the language: what a field holds or an expression computes,
/// other than records and lists.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Scalar {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// An exact decimal number.
    Decimal(Decimal),
    /// A percentage, as its number of percent (`75` for `75%`).
    Percent(Decimal),
    /// Pounds sterling.
    Money(Decimal),
    /// A calendar date.
    Date(Date),
    /// A calendar duration.
    Duration(Duration),
    /// Text.
    Text(Arc<str>),
    /// An enum value, by its name (`local_authority`).
    Enum(Arc<str>),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(value) => write!(f, "{value}"),
            Scalar::Int(value) => write!(f, "{value}"),
            Scalar::Decimal(value) => write!(f, "{}", value.normalize()),
            Scalar::Percent(value) => f.write_str(&format_percent(*value)),
            Scalar::Money(value) => f.write_str(&format_money(*value)),
            Scalar::Date(value) => write!(f, "{value}"),
            Scalar::Duration(value) => write!(f, "{value}"),
            Scalar::Text(value) => f.write_str(value),
            Scalar::Enum(value) => f.write_str(value),
        }
    }
}

/// A TOML date (with no time) as a calendar date.
pub fn toml_date(value: &toml::value::Datetime) -> Option<Date> {
    match (&value.date, &value.time, &value.offset) {
        (Some(date), None, None) => jiff::civil::Date::new(
            i16::try_from(date.year).ok()?,
            i8::try_from(date.month).ok()?,
            i8::try_from(date.day).ok()?,
        )
        .ok(),
        _ => None,
    }
}
