//! The officer's notations: percentages (`"75%"`), money (`"£663,540"` or whole pounds),
//! durations (`"3 years"`) and dates (`2018-04-01`), read from TOML values, with help that
//! shows how to write a value that does not fit.

use std::str::FromStr;

use rust_decimal::Decimal;
use toml::de::DeValue;

use crate::diagnostic::BuiltinCode;
use crate::english_dates::{self, QuotedDate};
use crate::schema::FieldType;
use crate::value::{NotationError, Scalar, parse_duration, parse_money, parse_percent};

use super::context::{Place, printable};
use super::meant;
use super::typing::{Problem, integer, mismatch, too_large};

/// A number as written (`1_000` → `1000`), if it is plain digits with an optional point.
pub(super) fn plain_number(written: &str) -> Option<(String, Decimal)> {
    let cleaned: String = written.trim().trim_start_matches('+').chars().filter(|c| *c != '_').collect();
    let plain = !cleaned.is_empty() && cleaned.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    let value = Decimal::from_str(&cleaned).ok().filter(|_| plain)?;
    Some((cleaned, value))
}

/// Help for a bare decimal number where an exact value is needed: quote it.
pub(super) fn quote_help(written: &str, prefix: &str, example: &str) -> String {
    match plain_number(written) {
        Some((number, _)) => {
            format!("write it in quotes, as \"{prefix}{number}\": a bare number with a decimal point is not exact")
        }
        None => {
            format!("write it in quotes, for example \"{example}\": a bare number with a decimal point is not exact")
        }
    }
}

/// "`field` must be WHAT, not `text`": with the value it evidently means, and its fix, when
/// there is one (`meant`, from [`meant`]), or else how to write the notation.
fn not_in_notation(what: &str, text: &str, place: Place<'_>, meant: Option<String>, error: &NotationError) -> Problem {
    let message = format!("{} must be {what}, not `{}`", place.subject(), printable(text));
    match meant {
        Some(meant) => Problem::new(BuiltinCode::SchemaType, message, Some(format!("write \"{meant}\"")))
            .with_replacement(format!("\"{meant}\"")),
        None => Problem::new(BuiltinCode::SchemaType, message, Some(error.help().into())),
    }
}

/// `percent`: a string such as `"75%"`, from 0% to 100%.
pub(super) fn percent(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::String(text) => match parse_percent(text) {
            Ok(number) if number > Decimal::ONE_HUNDRED => Err(Problem::new(
                BuiltinCode::SchemaRange,
                format!("{} must be between 0% and 100%, not `{}`", place.subject(), printable(text.trim())),
                Some("a percentage here is a share of the whole, at most 100%".into()),
            )),
            Ok(number) => Ok(Scalar::Percent(number)),
            Err(error) => Err(not_in_notation("a percentage", text, place, meant::percent(text), &error)),
        },
        DeValue::Integer(_) | DeValue::Float(_) => Err(match plain_number(written) {
            // 0.5 may mean 0.5% or 50%: the officer says which.
            Some((number, amount)) if number.contains('.') && amount > Decimal::ZERO && amount <= Decimal::ONE => {
                let whole = (amount * Decimal::ONE_HUNDRED).normalize();
                let help = format!("write \"{number}%\", or \"{whole}%\" if {number} is a fraction of the whole");
                mismatch(&FieldType::Percent, value, written, place, Some(help))
            }
            Some((number, _)) => {
                let help = format!("write \"{number}%\"");
                mismatch(&FieldType::Percent, value, written, place, Some(help))
                    .with_replacement(format!("\"{number}%\""))
            }
            None => {
                let help = NotationError::Percent(written.into()).help().into();
                mismatch(&FieldType::Percent, value, written, place, Some(help))
            }
        }),
        _ => {
            let help = NotationError::Percent(written.into()).help().into();
            Err(mismatch(&FieldType::Percent, value, written, place, Some(help)))
        }
    }
}

/// `money`: a string such as `"£663,540"`, or a TOML integer of pounds.
pub(super) fn money(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::String(text) => parse_money(text)
            .map(Scalar::Money)
            .map_err(|error| not_in_notation("an amount of money", text, place, meant::money(text), &error)),
        DeValue::Integer(number) => match integer(number) {
            Some(pounds) if pounds < 0 => Err(Problem::new(
                BuiltinCode::SchemaRange,
                format!("{} cannot be a negative amount of money", place.subject()),
                None,
            )),
            Some(pounds) => Ok(Scalar::Money(Decimal::from(pounds))),
            None => Err(too_large(place, written)),
        },
        DeValue::Float(_) => {
            let problem = Problem::new(
                BuiltinCode::SchemaType,
                format!("{} must be an exact amount of money, not a bare number with a decimal point", place.subject()),
                Some(quote_help(written, "£", "£663540.10")),
            );
            Err(match plain_number(written) {
                Some((number, _)) => problem.with_replacement(format!("\"£{number}\"")),
                None => problem,
            })
        }
        _ => {
            let help = NotationError::Money(written.into()).help().into();
            Err(mismatch(&FieldType::Money, value, written, place, Some(help)))
        }
    }
}

/// `duration`: a string such as `"3 years"`.
pub(super) fn duration(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::String(text) => parse_duration(text)
            .map(Scalar::Duration)
            .map_err(|error| not_in_notation("a duration", text, place, meant::duration(text), &error)),
        DeValue::Integer(_) => {
            let help = format!(
                "write the unit too, for example \"{written} years\", \"{written} months\" or \"{written} days\""
            );
            Err(mismatch(&FieldType::Duration, value, written, place, Some(help)))
        }
        _ => {
            let help = NotationError::Duration(written.into()).help().into();
            Err(mismatch(&FieldType::Duration, value, written, place, Some(help)))
        }
    }
}

/// `date`: a TOML local date (`2018-04-01`), not a date-time.
pub(super) fn date(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    const HELP: &str = "write a date as year-month-day without quotes, for example `2018-04-01`";
    let help = match value {
        DeValue::Datetime(datetime) => match (&datetime.date, &datetime.time, &datetime.offset) {
            (Some(_), None, None) => {
                return crate::value::toml_date(datetime).map(Scalar::Date).ok_or_else(|| {
                    Problem::new(
                        BuiltinCode::SchemaRange,
                        format!("{} is not a day of the calendar: `{written}`", place.subject()),
                        None,
                    )
                });
            }
            (Some(day), _, _) => {
                let help = format!("write the date alone, without a time: `{day}`");
                return Err(
                    mismatch(&FieldType::Date, value, written, place, Some(help)).with_replacement(day.to_string())
                );
            }
            _ => HELP.to_owned(),
        },
        DeValue::String(text) => match english_dates::quoted(text, |date| date.to_string()) {
            Some(QuotedDate { help, certain }) => {
                let problem = mismatch(&FieldType::Date, value, written, place, Some(help));
                return Err(match certain {
                    Some(date) => problem.with_replacement(date.to_string()),
                    None => problem,
                });
            }
            None => HELP.to_owned(),
        },
        _ => HELP.to_owned(),
    };
    Err(mismatch(&FieldType::Date, value, written, place, Some(help)))
}
