//! The built-in functions: text trimming and date arithmetic, unknown-aware.

use jiff::civil::Date;

use super::value::{Origins, V, Val, merge};
use crate::policy::ir::Builtin;
use crate::value::Scalar;

/// Calls a built-in on values already evaluated; unknown when an argument is.
pub fn call(func: Builtin, args: Vec<Val<'_>>) -> Val<'_> {
    let mut origins: Origins<'_> = Origins::new();
    let mut scalars = Vec::with_capacity(args.len());
    for arg in args {
        origins = merge(origins, arg.origins);
        match arg.v {
            V::Scalar(scalar) => scalars.push(scalar),
            _ => return Val::unknown(origins),
        }
    }
    let result = match (func, scalars.as_slice()) {
        (Builtin::Trim, [Scalar::Text(text)]) => Some(Scalar::Text(text.trim().into())),
        (Builtin::DaysBetween, [Scalar::Date(a), Scalar::Date(b)]) => days_between(*a, *b).map(Scalar::Int),
        (Builtin::MonthsBetween, [Scalar::Date(a), Scalar::Date(b)]) => Some(Scalar::Int(months_between(*a, *b))),
        (Builtin::FinancialYear, [Scalar::Date(date)]) => Some(Scalar::Int(financial_year(*date))),
        _ => None,
    };
    match result {
        Some(scalar) => Val { v: V::Scalar(scalar), origins },
        None => Val::unknown(origins),
    }
}

/// Whole days from `a` to `b`.
fn days_between(a: Date, b: Date) -> Option<i64> {
    a.until((jiff::Unit::Day, b)).ok().map(|span| i64::from(span.get_days()))
}

/// Whole calendar months from `a` to `b`: the number of month-ends crossed, less one when the
/// day of the month has not been reached (31 Jan to 28 Feb is 0 months; to 1 Mar is 1).
fn months_between(a: Date, b: Date) -> i64 {
    let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    let mut months =
        (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    sign * months
}

/// The UK financial year a date falls in, by the calendar year in which it starts (1 April).
pub fn financial_year(date: Date) -> i64 {
    let year = i64::from(date.year());
    if date.month() < 4 { year - 1 } else { year }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn months_and_days_between() {
        assert_eq!(months_between(date("2025-01-31"), date("2025-02-28")), 0);
        assert_eq!(months_between(date("2025-01-31"), date("2025-03-01")), 1);
        assert_eq!(months_between(date("2025-04-01"), date("2026-04-01")), 12);
        assert_eq!(months_between(date("2026-04-01"), date("2025-04-02")), -11);
        assert_eq!(days_between(date("2024-02-28"), date("2024-03-01")), Some(2));
        assert_eq!(financial_year(date("2025-03-31")), 2024);
        assert_eq!(financial_year(date("2025-04-01")), 2025);
    }
}
