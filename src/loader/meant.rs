//! What an officer evidently meant by a duration, a percentage or an amount of money written
//! in words the constitution format does not take (`"6 yrs"`, `"six years"`, `"5 years and 6
//! months"`, `"2 weeks"`, `"33.34 per cent"`, `"£1.2 million"`), in the notation it does
//! take. Used for help and quick fixes only: the format itself stays as strict as it is.

use crate::value::{parse_duration, parse_money, parse_percent};

/// The duration `text` evidently means, written as the format wants (`"6 years"`,
/// `"66 months"`, `"14 days"`), or `None` when it is not clear.
pub(super) fn duration(text: &str) -> Option<String> {
    let lowered = text.to_lowercase().replace(',', " ");
    let words: Vec<&str> = lowered.split_whitespace().filter(|word| *word != "and").collect();
    let (mut months, mut days) = (0i64, 0i64);
    let mut at = 0;
    while at < words.len() {
        // A count and its unit, as two words ("6 yrs") or one ("6yrs").
        let (count, unit, taken) = match split_count(words.get(at)?) {
            Some((count, unit)) if !unit.is_empty() => (count, unit, 1),
            Some((count, _)) => (count, *words.get(at + 1)?, 2),
            None => (count_word(words.get(at)?)?, *words.get(at + 1)?, 2),
        };
        match unit_of(unit)? {
            Unit::Years => months = months.checked_add(count.checked_mul(12)?)?,
            Unit::Months => months = months.checked_add(count)?,
            Unit::Weeks => days = days.checked_add(count.checked_mul(7)?)?,
            Unit::Days => days = days.checked_add(count)?,
        }
        at += taken;
    }
    let meant = match (months, days) {
        // Months and days cannot be one count: the officer says which they meant.
        (0, 0) => return None,
        (months, 0) if months % 12 == 0 => plural(months / 12, "year"),
        (months, 0) => plural(months, "month"),
        (0, days) => plural(days, "day"),
        _ => return None,
    };
    (parse_duration(text).is_err() && parse_duration(&meant).is_ok()).then_some(meant)
}

/// The percentage `text` evidently means (`"33.34 per cent"` → `"33.34%"`), or `None`.
pub(super) fn percent(text: &str) -> Option<String> {
    let lowered = text.trim().to_lowercase();
    let number = ["per cent", "percent", "pc", "pct"].iter().find_map(|word| lowered.strip_suffix(word))?.trim_end();
    let meant = format!("{number}%");
    (parse_percent(text).is_err() && parse_percent(&meant).is_ok()).then_some(meant)
}

/// The amount of money `text` evidently means (`"£30 million"` → `"£30m"`, `"GBP 663,540"`
/// → `"£663,540"`, `"£900 thousand"` → `"£900k"`), or `None`.
pub(super) fn money(text: &str) -> Option<String> {
    let lowered = text.trim().to_lowercase();
    let mut body = lowered.as_str();
    for currency in ["gbp", "£"] {
        body = body.strip_prefix(currency).unwrap_or(body).trim_start();
    }
    for currency in ["gbp", "pounds", "pound"] {
        body = body.strip_suffix(currency).unwrap_or(body).trim_end();
    }
    let (number, scale) = [("million", "m"), ("mn", "m"), ("m", "m"), ("thousand", "k"), ("k", "k")]
        .iter()
        .find_map(|(word, scale)| body.strip_suffix(word).map(|number| (number.trim_end(), *scale)))
        .unwrap_or((body, ""));
    let meant = format!("£{number}{scale}");
    (parse_money(text).is_err() && parse_money(&meant).is_ok()).then_some(meant)
}

/// The units an officer may write a duration in; `unit_of` knows their abbreviations.
enum Unit {
    Years,
    Months,
    Weeks,
    Days,
}

/// The unit a word names (`yrs`, `months`, `wk`), if it names one.
fn unit_of(word: &str) -> Option<Unit> {
    match word.trim_end_matches('.') {
        "year" | "years" | "yr" | "yrs" | "y" => Some(Unit::Years),
        "month" | "months" | "mo" | "mos" | "mth" | "mths" | "m" => Some(Unit::Months),
        "week" | "weeks" | "wk" | "wks" | "w" => Some(Unit::Weeks),
        "day" | "days" | "d" => Some(Unit::Days),
        _ => None,
    }
}

/// A count written in digits, with its unit if written on to it (`6yrs` → 6 and `yrs`).
fn split_count(word: &str) -> Option<(i64, &str)> {
    let end = word.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(word.len());
    if end == 0 || end > 6 {
        return None;
    }
    Some((word.get(..end)?.parse().ok()?, word.get(end..)?))
}

/// A count written as a word, from one to twenty.
fn count_word(word: &str) -> Option<i64> {
    const WORDS: [&str; 20] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let index = WORDS.iter().position(|name| *name == word)?;
    i64::try_from(index + 1).ok()
}

fn plural(count: i64, unit: &str) -> String {
    if count == 1 { format!("1 {unit}") } else { format!("{count} {unit}s") }
}

#[cfg(test)]
mod tests {
    use super::{duration, money, percent};
    use proptest::prelude::*;

    proptest! {
        /// Whatever is written, reading it never fails, and the number of a percentage or an
        /// amount is kept as written, digit for digit.
        #[test]
        fn any_text_is_read_without_failing_and_keeps_its_digits(
            text in "([0-9]{1,7}|one|six|twenty|£|gbp|[ ,.]|and|years?|yrs?|months?|mths?|m|weeks?|days?|d|per cent|percent|pc|million|mn|thousand|k|pounds?|\\PC){0,6}"
        ) {
            let digits = |text: &str| text.chars().filter(char::is_ascii_digit).collect::<String>();
            let _ = duration(&text);
            for meant in [percent(&text), money(&text)].into_iter().flatten() {
                prop_assert_eq!(digits(&meant), digits(&text), "{:?} → {:?}", text, meant);
            }
        }
    }

    #[test]
    fn durations_in_other_words_are_given_in_the_format() {
        let cases = [
            ("6 yrs", "6 years"),
            ("six years", "6 years"),
            ("Six Years", "6 years"),
            ("6yrs", "6 years"),
            ("1 yr", "1 year"),
            ("5 years and 6 months", "66 months"),
            ("5 years, 6 months", "66 months"),
            ("2 years 12 months", "3 years"),
            ("18 mths", "18 months"),
            ("2 weeks", "14 days"),
            ("1 week 3 days", "10 days"),
            ("twelve months", "1 year"),
        ];
        for (written, meant) in cases {
            assert_eq!(duration(written).as_deref(), Some(meant), "{written}");
        }
    }

    #[test]
    fn a_duration_that_is_not_clear_or_already_right_gets_nothing() {
        for written in [
            "3 years",
            "18 months",
            "1 year 2 days",
            "a few years",
            "6",
            "years",
            "6 years 6",
            "0 days",
            "twenty-one years",
            "6 aeons",
            "9999999 years",
            "",
        ] {
            assert_eq!(duration(written), None, "{written}");
        }
    }

    #[test]
    fn money_in_words_is_given_in_the_notation() {
        let cases = [
            ("£30 million", "£30m"),
            ("£ 30m", "£30m"),
            ("£1.2mn", "£1.2m"),
            ("GBP 663,540", "£663,540"),
            ("663,540 pounds", "£663,540"),
            ("£900 thousand", "£900k"),
        ];
        for (written, meant) in cases {
            assert_eq!(money(written).as_deref(), Some(meant), "{written}");
        }
        for written in ["£30m", "thirty million", "£30 billion", "£", "30 million dollars", "£3,00"] {
            assert_eq!(money(written), None, "{written}");
        }
    }

    #[test]
    fn percentages_in_words_are_given_with_the_sign() {
        assert_eq!(percent("33.34 percent").as_deref(), Some("33.34%"));
        assert_eq!(percent("75 per cent").as_deref(), Some("75%"));
        assert_eq!(percent("51 PC").as_deref(), Some("51%"));
        for written in ["75%", "one third", "percent", "75 per cents", "7 5 percent"] {
            assert_eq!(percent(written), None, "{written}");
        }
    }
}
