//! Wording that messages share: a list of alternatives as an officer would write it.

/// The items as alternatives in English: `a`, `a or b`, `a, b or c`; empty for none.
pub fn either<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", init.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::either;

    #[test]
    fn alternatives_are_joined_by_commas_and_a_last_or() {
        assert_eq!(either::<&str>(&[]), "");
        assert_eq!(either(&["error"]), "error");
        assert_eq!(either(&["error", "warning"]), "error or warning");
        assert_eq!(either(&["error", "warning", "note", "off"]), "error, warning, note or off");
    }
}
