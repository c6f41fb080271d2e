//! Converting one TOML value into a [`Scalar`] of its field's type, in the notations of
//! the constitution format (`"75%"`, `"£663,540"`, `"3 years"`, `2018-04-01`), and saying
//! in an officer's words what is wrong with a value that does not fit.

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::de::{DeInteger, DeValue};

use crate::diagnostic::BuiltinCode;
use crate::schema::{FieldType, Schema, did_you_mean};
use crate::value::Scalar;

use super::context::{Place, list_names, printable};
use super::notations::{date, duration, money, percent, plain_number, quote_help};

/// What is wrong with a value, before it is given a span.
#[derive(Debug)]
pub(super) struct Problem {
    /// The engine code (`schema.type`, `schema.range`, `schema.unknown_variant`).
    pub(super) code: BuiltinCode,
    /// What is wrong.
    pub(super) message: String,
    /// How to fix it.
    pub(super) help: Option<String>,
    /// The value as it was evidently meant, in the constitution's notation, when there is no
    /// doubt what that is (a date in quotes, a percentage without its `%`): offered as a
    /// quick fix that replaces the value as written.
    pub(super) replacement: Option<String>,
}

impl Problem {
    /// A problem with an engine code.
    pub(super) fn new(code: BuiltinCode, message: String, help: Option<String>) -> Self {
        Problem { code, message, help, replacement: None }
    }

    /// The problem, with the value it was evidently meant to be written as.
    pub(super) fn with_replacement(self, replacement: String) -> Self {
        Problem { replacement: Some(replacement), ..self }
    }
}

/// The most enum values listed in a help text.
const MAX_LISTED: usize = 12;

/// Converts a TOML value to a scalar of type `ty`; `written` is the value's source text.
///
/// Only scalar types convert; a record, list, ref or table type gives a `schema.type` problem.
pub(super) fn scalar(
    schema: &Schema,
    ty: &FieldType,
    value: &DeValue<'_>,
    written: &str,
    place: Place<'_>,
) -> Result<Scalar, Problem> {
    if let DeValue::Float(float) = value {
        if let Some(name) = non_finite(float.as_str()) {
            let message = format!("{} must be {}, not {name}", place.subject(), expected(ty));
            return Err(Problem::new(BuiltinCode::SchemaType, message, Some("state a finite value".into())));
        }
    }
    match ty {
        FieldType::Bool => boolean(value, written, place),
        FieldType::Int => int(value, written, place),
        FieldType::Decimal => decimal(value, written, place),
        FieldType::Percent => percent(value, written, place),
        FieldType::Money => money(value, written, place),
        FieldType::Duration => duration(value, written, place),
        FieldType::Date => date(value, written, place),
        FieldType::Text => text(value, written, place),
        FieldType::Enum(name) => enumeration(schema, name, value, written, place),
        FieldType::Table | FieldType::Record(_) | FieldType::List { .. } | FieldType::Ref { .. } => {
            Err(mismatch(ty, value, written, place, None))
        }
    }
}

/// A `schema.type` problem: "`field` must be EXPECTED, not ACTUAL".
pub(super) fn mismatch(
    ty: &FieldType,
    value: &DeValue<'_>,
    written: &str,
    place: Place<'_>,
    help: Option<String>,
) -> Problem {
    let message = format!("{} must be {}, not {}", place.subject(), expected(ty), actual(ty, value, written));
    Problem::new(BuiltinCode::SchemaType, message, help)
}

/// What a value of type `ty` is, in words ("a percentage", "a list of tables").
pub(super) fn expected(ty: &FieldType) -> String {
    match ty {
        FieldType::Bool => "`true` or `false`".into(),
        FieldType::Int => "a whole number".into(),
        FieldType::Decimal => "a number".into(),
        FieldType::Percent => "a percentage".into(),
        FieldType::Money => "an amount of money".into(),
        FieldType::Date => "a date".into(),
        FieldType::Duration => "a duration".into(),
        FieldType::Text => "text".into(),
        FieldType::Table | FieldType::Record(_) => "a table".into(),
        FieldType::Enum(name) => format!("one of the `{name}` values"),
        FieldType::List { element, .. } if matches!(**element, FieldType::Record(_)) => "a list of tables".into(),
        FieldType::List { .. } => "a list".into(),
        FieldType::Ref { list, .. } => format!("the name of one of the `{list}`"),
    }
}

/// The name of a TOML float that is not a finite number (`nan`, `inf`, `-inf`), in words.
fn non_finite(written: &str) -> Option<String> {
    match written.trim_start_matches(['+', '-']) {
        "nan" => Some(format!("`{written}` (not a number)")),
        "inf" => Some(format!("`{written}` (infinity)")),
        _ => None,
    }
}

/// What a TOML value is, in words, where a value of type `ty` was expected.
fn actual(ty: &FieldType, value: &DeValue<'_>, written: &str) -> String {
    let number_is_bare = matches!(
        ty,
        FieldType::Percent
            | FieldType::Duration
            | FieldType::Text
            | FieldType::Enum(_)
            | FieldType::Ref { .. }
            | FieldType::Date
    );
    match value {
        DeValue::String(_) => "text".into(),
        DeValue::Integer(_) | DeValue::Float(_) if number_is_bare => "a bare number".into(),
        DeValue::Integer(_) => "a whole number".into(),
        DeValue::Float(_) => "a number with a decimal point".into(),
        DeValue::Boolean(value) => format!("`{value}`"),
        DeValue::Datetime(datetime) => match (&datetime.date, &datetime.time) {
            (Some(_), None) => "a date".into(),
            (None, Some(_)) => "a time of day".into(),
            _ => "a date and time".into(),
        },
        DeValue::Array(_) if written.starts_with("[[") => "a list of `[[…]]` tables".into(),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// The largest whole number a constitution may state (2^53): every whole number up to it is
/// exact in every tool that reads the JSON output, and sums of many of them cannot overflow.
pub const MAX_WHOLE_NUMBER: i64 = 1 << 53;

/// A TOML integer as an `i64`, if it lies within ±[`MAX_WHOLE_NUMBER`].
pub(super) fn integer(value: &DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(value.as_str(), value.radix()).ok().filter(|number| number.abs() <= MAX_WHOLE_NUMBER)
}

/// A problem for a whole number outside the range a constitution may state.
pub(super) fn too_large(place: Place<'_>, written: &str) -> Problem {
    Problem::new(
        BuiltinCode::SchemaRange,
        format!(
            "{} is outside the range of whole numbers trustcheck accepts: `{}`",
            place.subject(),
            printable(written)
        ),
        Some(format!("write a whole number between -{MAX_WHOLE_NUMBER} and {MAX_WHOLE_NUMBER}")),
    )
}

/// `bool`: a TOML boolean.
fn boolean(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::Boolean(value) => Ok(Scalar::Bool(*value)),
        DeValue::String(text) if matches!(text.trim(), "true" | "false" | "yes" | "no") => {
            let problem = mismatch(
                &FieldType::Bool,
                value,
                written,
                place,
                Some("write `true` or `false` without quotes".into()),
            );
            Err(match text.trim() {
                truth @ ("true" | "false") => problem.with_replacement(truth.to_owned()),
                _ => problem,
            })
        }
        _ => Err(mismatch(&FieldType::Bool, value, written, place, Some("write `true` or `false`".into()))),
    }
}

/// `int`: a TOML integer.
fn int(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::Integer(number) => integer(number).map(Scalar::Int).ok_or_else(|| too_large(place, written)),
        DeValue::String(text) if text.trim().parse::<i64>().is_ok() => {
            let help = format!("write the number without quotes: `{}`", text.trim());
            Err(mismatch(&FieldType::Int, value, written, place, Some(help)).with_replacement(text.trim().to_owned()))
        }
        DeValue::Float(_) => {
            let help = "write a whole number, without a decimal point".to_owned();
            Err(mismatch(&FieldType::Int, value, written, place, Some(help)))
        }
        _ => Err(mismatch(&FieldType::Int, value, written, place, None)),
    }
}

/// `decimal`: a string of digits with an optional point, or a TOML integer.
fn decimal(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::Integer(number) => integer(number)
            .map(|number| Scalar::Decimal(Decimal::from(number)))
            .ok_or_else(|| too_large(place, written)),
        DeValue::String(text) => match Decimal::from_str(text.trim()) {
            Ok(number) => Ok(Scalar::Decimal(number.normalize())),
            Err(_) => Err(Problem::new(
                BuiltinCode::SchemaType,
                format!("{} must be a number, not `{}`", place.subject(), printable(text)),
                Some("write a number as digits with an optional decimal point, for example \"2.5\"".into()),
            )),
        },
        DeValue::Float(_) => {
            let problem = mismatch(&FieldType::Decimal, value, written, place, Some(quote_help(written, "", "2.5")));
            Err(match plain_number(written) {
                Some((number, _)) => problem.with_replacement(format!("\"{number}\"")),
                None => problem,
            })
        }
        _ => Err(mismatch(&FieldType::Decimal, value, written, place, None)),
    }
}

/// `text`: a TOML string.
fn text(value: &DeValue<'_>, written: &str, place: Place<'_>) -> Result<Scalar, Problem> {
    match value {
        DeValue::String(text) => Ok(Scalar::Text(Arc::from(text.as_ref()))),
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => {
            let help = format!("put it in quotes: \"{written}\"");
            Err(mismatch(&FieldType::Text, value, written, place, Some(help))
                .with_replacement(format!("\"{written}\"")))
        }
        DeValue::Array(_) | DeValue::Table(_) => Err(mismatch(&FieldType::Text, value, written, place, None)),
    }
}

/// An enum: a string naming one of its values.
fn enumeration(
    schema: &Schema,
    name: &str,
    value: &DeValue<'_>,
    written: &str,
    place: Place<'_>,
) -> Result<Scalar, Problem> {
    let decl = schema.enum_decl(name);
    let variants = || decl.into_iter().flat_map(|decl| decl.variants.iter().map(|variant| variant.name.as_str()));
    let listing = || format!("the valid values are {}", list_names(variants(), MAX_LISTED));
    match value {
        // A validated policy set declares every enum it names; without the declaration
        // there is nothing to check against.
        DeValue::String(text) if decl.is_none_or(|decl| decl.has(text)) => Ok(Scalar::Enum(Arc::from(text.as_ref()))),
        DeValue::String(text) => {
            let help = did_you_mean(text, variants()).unwrap_or_else(listing);
            let message = format!("`{}` is not a valid value for `{}`", printable(text), place.field);
            Err(Problem::new(BuiltinCode::SchemaUnknownVariant, message, Some(help)))
        }
        _ => {
            let help = format!("write one of the values in quotes: {}", list_names(variants(), MAX_LISTED));
            Err(mismatch(&FieldType::Enum(name.to_owned()), value, written, place, Some(help)))
        }
    }
}
