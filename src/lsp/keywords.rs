//! Completion of the language's words at the start of a line of a policy file, by where the
//! cursor is: declarations at the top level, a policy's items inside `policy … { }`, and a
//! rule's clauses inside `rule … { }`. Where the cursor is comes from the lexer's brackets.

use crate::syntax::lexer::{TokenKind, is_word_char, tokens};

/// Where a line of a policy file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Outside every block.
    TopLevel,
    /// Directly inside `policy … { }`.
    Policy,
    /// Directly inside `rule … { }`.
    Rule,
    /// Directly inside `record … { }` or `extend record … { }`.
    Record,
    /// Inside a record, an enum, a table, brackets or an expression: no keyword starts a line.
    Elsewhere,
}

/// The words that may start a line there, each with a short description.
pub fn words(place: Place) -> &'static [(&'static str, &'static str)] {
    match place {
        Place::TopLevel => &[
            ("policy", "a policy: its rules, lets, constants, tables and events"),
            ("record", "a record of the constitution's schema"),
            ("enum", "an enum of the schema"),
            ("extend", "extend a record or an enum of the schema"),
            ("root", "the record a constitution is"),
            ("let", "a named fact every policy may use"),
            ("const", "a named value that cannot depend on the constitution"),
            ("table", "values in force from given dates"),
            ("criterion", "a weighted criterion of an options appraisal"),
        ],
        Place::Policy => &[
            ("rule", "a rule: `rule NAME SEVERITY [STATUS] \"Title\" { … }`"),
            ("let", "a fact of this policy"),
            ("const", "a value of this policy that cannot depend on the constitution"),
            ("table", "values in force from given dates"),
            ("event", "a dated event of the timeline"),
            ("cite", "the provision every rule of the policy cites, unless it cites its own"),
        ],
        Place::Rule => &[
            ("cite", "the provision the rule enforces"),
            ("when", "when the rule applies"),
            ("unless", "an exception"),
            ("require", "what the rule requires"),
            ("message", "what a failure says"),
            ("help", "how to comply"),
            ("at", "the value a finding points at"),
            ("not waivable", "no waiver may set the rule aside"),
            ("waivable for at most", "a waiver may last at most this long"),
        ],
        Place::Record => &[
            ("key", "the field that names each entry of a list of these records"),
            ("invariant", "a condition every record of this type must meet: `invariant \"MESSAGE\" require CONDITION`"),
        ],
        Place::Elsewhere => &[],
    }
}

/// Where the line holding `offset` is, when the cursor is on the first word of its line
/// (`None` otherwise, and inside strings and comments).
pub fn place_at(text: &str, offset: usize) -> Option<Place> {
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let typed = before.get(line_start..)?.trim_start();
    if !typed.chars().all(is_word_char) {
        return None;
    }
    // The blocks open at the start of the line: for each `{`, the word that opened its item.
    let mut stack: Vec<Option<&str>> = Vec::new();
    let mut item: Option<&str> = None;
    let mut in_parens = 0usize;
    for token in tokens(before.get(..line_start)?) {
        let word = token.text(before);
        match token.kind {
            TokenKind::UnclosedString => return None,
            TokenKind::Word if item.is_none() && in_parens == 0 => item = Some(word),
            TokenKind::Open if word == "{" => {
                stack.push(item.take());
            }
            TokenKind::Open => in_parens += 1,
            TokenKind::Close if word == "}" => {
                stack.pop();
                item = None;
            }
            TokenKind::Close => in_parens = in_parens.saturating_sub(1),
            TokenKind::Newline if in_parens == 0 => item = None,
            _ => {}
        }
    }
    if in_parens > 0 {
        return Some(Place::Elsewhere);
    }
    Some(match stack.as_slice() {
        [] => Place::TopLevel,
        [Some("policy")] => Place::Policy,
        [Some("policy"), Some("rule")] => Place::Rule,
        [Some("record" | "extend")] => Place::Record,
        _ => Place::Elsewhere,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_follows_the_blocks() {
        let text = "let x = 1\npolicy p \"P\" {\n  rule r note \"R\" {\n    re\n  }\n  ru\n}\nre\nextend record Seat {\n  inv\n}\n";
        let at = |needle: &str| text.find(needle).map(|start| start + needle.len()).unwrap_or(0);
        assert_eq!(place_at(text, at("    re")), Some(Place::Rule));
        assert_eq!(place_at(text, at("  ru")), Some(Place::Policy));
        assert_eq!(place_at(text, at("}\nre")), Some(Place::TopLevel));
        assert_eq!(place_at(text, at("let x")), None, "not the first word of its line");
        assert_eq!(place_at(text, at("  inv")), Some(Place::Record));
    }
}
