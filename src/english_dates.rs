//! Dates written in text as officers write them in England (`1 April 2014`, `1st April
//! 2014`, `April 1, 2014`, `01/04/2014`), read so that the help for a date in quotes, in a
//! constitution or in `trustcheck.toml`, can give the year-month-day form the formats want.

use jiff::civil::Date;

/// A date read from how it was written in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnglishDate {
    /// The day meant.
    pub date: Date,
    /// How certain that reading is.
    pub reading: Reading,
}

/// How a date written in English was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// The month is named, or the day cannot be a month: there is one reading.
    Certain,
    /// Digits only, where the first two could be a day or a month (`01/04/2014`): read as
    /// day/month/year, as dates are written in England, but a reader used to month/day/year
    /// would read another day.
    DayFirst,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What to say of a date written in quotes where a date belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotedDate {
    /// How to write it instead.
    pub help: String,
    /// The day meant, when there is no doubt which it is (for a quick fix).
    pub certain: Option<Date>,
}

/// What to say of `text`, written in quotes where a date belongs, when it is a date:
/// year-month-day, or as written in English. `shown` writes the day as the help names it
/// (`2014-04-01`, or `expires = 2014-04-01` in a project file).
pub fn quoted(text: &str, shown: impl Fn(Date) -> String) -> Option<QuotedDate> {
    if let Ok(date) = text.trim().parse::<Date>() {
        let help = format!("write the date without quotes: `{}`", shown(date));
        return Some(QuotedDate { help, certain: Some(date) });
    }
    let EnglishDate { date, reading } = read(text)?;
    let help = format!("write the date as year-month-day without quotes: `{}`", shown(date));
    Some(match reading {
        Reading::Certain => QuotedDate { help, certain: Some(date) },
        Reading::DayFirst => {
            let help = format!("{help}, if `{}` is day/month/year", crate::sanitize::line(text.trim()));
            QuotedDate { help, certain: None }
        }
    })
}

/// Reads `text` as a date written in English, if it is one.
pub fn read(text: &str) -> Option<EnglishDate> {
    let text = text.trim();
    numeric(text).or_else(|| named_month(text))
}

/// `DD/MM/YYYY`, also with `.` or `-` between the numbers, or `YYYY/MM/DD`.
fn numeric(text: &str) -> Option<EnglishDate> {
    let separator = text.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = text.split(separator);
    let (first, month, last) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || month.len() > 2 {
        return None;
    }
    let (day, year, year_first) = match (first.len(), last.len()) {
        (1 | 2, 4) => (first, last, false),
        (4, 1 | 2) => (last, first, true),
        _ => return None,
    };
    let (day, month, year) = (number(day)?, number(month)?, number(year)?);
    let date = Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    let reading = if year_first || day > 12 || day == month { Reading::Certain } else { Reading::DayFirst };
    Some(EnglishDate { date, reading })
}

/// `1 April 2014`, `1st April 2014`, `1 Apr 2014`, `April 1, 2014`, `April 1st 2014`.
fn named_month(text: &str) -> Option<EnglishDate> {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty()).collect();
    let [first, second, year] = words.as_slice() else { return None };
    let (day, month) = match (month(first), month(second)) {
        (None, Some(month)) => (ordinal(first)?, month),
        (Some(month), None) => (ordinal(second)?, month),
        _ => return None,
    };
    let year = if year.len() == 4 { number(year)? } else { return None };
    let date = Date::new(i16::try_from(year).ok()?, month, i8::try_from(day).ok()?).ok()?;
    Some(EnglishDate { date, reading: Reading::Certain })
}

/// A month by its name or its first three letters (`Sept` too), as its number.
fn month(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|name| *name == word || (name.starts_with(&word) && word.len() <= 4))?;
    i8::try_from(index + 1).ok()
}

/// A day of the month, with or without its ordinal ending (`1`, `1st`, `22nd`, `3rd`, `4th`).
fn ordinal(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    let digits = ["st", "nd", "rd", "th"].iter().find_map(|ending| word.strip_suffix(ending)).unwrap_or(&word);
    if digits.len() > 2 { None } else { number(digits) }
}

/// Plain ASCII digits as a number.
fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{EnglishDate, Reading, read};
    use jiff::civil::date;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is written, a date read from it is a day of the calendar whose numbers
        /// all appear in what was written.
        #[test]
        fn a_date_is_read_only_from_its_own_numbers(
            text in "([0-9]{1,5}|st|nd|rd|th|[ ,./-]|april|apr|sept|may|\\PC){0,6}"
        ) {
            if let Some(EnglishDate { date, .. }) = read(&text) {
                for part in [date.year().to_string(), date.day().to_string()] {
                    prop_assert!(text.contains(&part), "{text:?} → {date}");
                }
            }
        }
    }

    fn certain(year: i16, month: i8, day: i8) -> Option<EnglishDate> {
        Some(EnglishDate { date: date(year, month, day), reading: Reading::Certain })
    }

    #[test]
    fn named_months_are_read_in_either_order_with_or_without_ordinals() {
        for text in
            ["1 April 2014", "1st April 2014", " 1 Apr 2014 ", "April 1, 2014", "april 1st 2014", "1 APRIL 2014"]
        {
            assert_eq!(read(text), certain(2014, 4, 1), "{text}");
        }
        assert_eq!(read("22nd Sept 2025"), certain(2025, 9, 22));
        assert_eq!(read("3rd May. 2020"), certain(2020, 5, 3));
    }

    #[test]
    fn digits_are_read_day_first_and_say_when_that_is_a_choice() {
        assert_eq!(read("31/03/2026"), certain(2026, 3, 31));
        assert_eq!(read("2026/03/31"), certain(2026, 3, 31));
        assert_eq!(read("04.04.2019"), certain(2019, 4, 4));
        assert_eq!(read("01/04/2014"), Some(EnglishDate { date: date(2014, 4, 1), reading: Reading::DayFirst }));
        assert_eq!(read("1-4-2014"), Some(EnglishDate { date: date(2014, 4, 1), reading: Reading::DayFirst }));
    }

    #[test]
    fn anything_else_is_not_a_date() {
        for text in [
            "",
            "soon",
            "31 February 2024",
            "13/13/2020",
            "2014-04-01T00",
            "14/04/01",
            "1 April 14",
            "April 2014",
            "1 Ap 2014",
            "1 Aprill 2014",
            "123rd April 2014",
            "1/4/2014/5",
            "１/4/2014",
            "1 April 2014 at noon",
            "Mayday 1 2014",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
