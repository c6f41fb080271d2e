//! A constitution as loaded: every field of the schema with its value and the span it came
//! from, so that a failed rule can point at the exact value in the TOML file.
//!
//! The loader (`crate::loader`) builds a [`Document`] from TOML text; the evaluator reads it.
//! Every record holds *every* field its schema declares: stated, defaulted, or absent.

use std::sync::Arc;

use crate::source::{FileId, Span};
use crate::value::Scalar;

/// How a field got its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// Written in the constitution.
    Stated,
    /// Left out, so the schema's default applies.
    Defaulted,
    /// Left out and optional with no default: the fact is unknown.
    Absent,
}

/// One field of a loaded record.
#[derive(Clone, Debug)]
pub struct Field {
    /// The value (`None` when absent: unknown to the rules).
    pub value: Option<Node>,
    /// Stated, defaulted or absent.
    pub provenance: Provenance,
    /// The key's span when stated; otherwise where the fact belongs (the enclosing table's
    /// header or `{`, or line 1 column 1 with zero width).
    pub key_span: Span,
}

impl Field {
    /// The span to blame for this field's value: the value itself when stated, else where
    /// the fact belongs.
    pub fn blame_span(&self) -> Span {
        match (&self.value, self.provenance) {
            (Some(node), Provenance::Stated) => node.span,
            _ => self.key_span,
        }
    }
}

/// A loaded record (a TOML table, inline table, or element of an array of tables).
#[derive(Clone, Debug)]
pub struct Record {
    /// The schema record it is an instance of.
    pub type_name: Arc<str>,
    /// Where the record is: its `[header]` / `[[header]]`, its inline table's `{`, or, for a
    /// table that is not written at all, the nearest enclosing table that is.
    pub span: Span,
    /// True when the table is written in the file (false: every field defaulted).
    pub present: bool,
    /// Every field declared by the schema, by name.
    pub fields: Fields,
}

/// A record's fields in the order of their names. Most records have a handful, and a field
/// is found by going through them comparing lengths before letters, cheaper than a search
/// tree or a hash; a record with many fields is searched by halves.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    entries: Vec<(Arc<str>, Field)>,
}

/// Up to this many fields, a field is found by going through them in turn.
const SCANNED: usize = 16;

impl Fields {
    /// The fields given, in any order; of two with the same name the last is kept.
    pub fn new(mut entries: Vec<(Arc<str>, Field)>) -> Self {
        entries.reverse();
        entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        entries.dedup_by(|(a, _), (b, _)| a == b);
        Fields { entries }
    }

    /// The field named `name`.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.get_key_value(name).map(|(_, field)| field)
    }

    /// The field named `name`, with the name as the record holds it.
    pub fn get_key_value(&self, name: &str) -> Option<(&str, &Field)> {
        let entry = if self.entries.len() <= SCANNED {
            self.entries.iter().find(|(key, _)| key.len() == name.len() && **key == *name)
        } else {
            let at = self.entries.binary_search_by(|(key, _)| (**key).cmp(name)).ok()?;
            self.entries.get(at)
        };
        entry.map(|(key, field)| (&**key, field))
    }

    /// The fields, with their names, in the order of their names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Field)> {
        self.entries.iter().map(|(key, field)| (&**key, field))
    }

    /// The fields, to change, with their names, in the order of their names.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Field)> {
        self.entries.iter_mut().map(|(key, field)| (&**key, field))
    }

    /// The fields, in the order of their names.
    pub fn values(&self) -> impl Iterator<Item = &Field> {
        self.entries.iter().map(|(_, field)| field)
    }

    /// How many fields the record has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Record {
    /// A field by name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name)
    }
}

/// A value in a loaded constitution, with the span of its text.
#[derive(Clone, Debug)]
pub struct Node {
    /// The value's span (for a default, where the fact belongs).
    pub span: Span,
    /// The value.
    pub kind: NodeKind,
}

/// What a [`Node`] holds.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// A single value.
    Scalar(Scalar),
    /// A record.
    Record(Box<Record>),
    /// A list.
    List(Vec<Node>),
    /// A reference to an element of a root list field, resolved by key.
    Ref {
        /// The list field of the root record (`members`).
        list: String,
        /// The index of the named element in that list.
        index: usize,
        /// The key as written.
        key: String,
    },
    /// A free table (`table` type): kept for completeness, never read by rules.
    Table,
}

/// A loaded constitution.
#[derive(Clone, Debug)]
pub struct Document {
    /// The file it was read from.
    pub file: FileId,
    /// The root record (`Constitution`).
    pub root: Record,
}

#[cfg(test)]
mod tests {
    use super::{Field, Fields, Provenance};
    use crate::source::Span;

    fn field(start: u32) -> Field {
        Field { value: None, provenance: Provenance::Absent, key_span: Span { start, ..Span::default() } }
    }

    fn fields(count: u32) -> Fields {
        Fields::new((0..count).rev().map(|index| (format!("field_{index:03}").into(), field(index))).collect())
    }

    #[test]
    fn fields_are_found_by_name_in_small_and_large_records() {
        for count in [0, 1, 5, 16, 17, 40] {
            let fields = fields(count);
            assert_eq!(fields.len(), count as usize);
            for index in 0..count {
                let found = fields.get(&format!("field_{index:03}")).map(|field| field.key_span.start);
                assert_eq!(found, Some(index), "field {index} of {count}");
            }
            assert!(fields.get("field_999").is_none() && fields.get("").is_none() && fields.get("field_00").is_none());
        }
    }

    #[test]
    fn fields_go_in_the_order_of_their_names_and_a_repeated_name_keeps_the_last() {
        let fields = Fields::new(vec![("b".into(), field(1)), ("a".into(), field(2)), ("b".into(), field(3))]);
        let listed: Vec<(&str, u32)> = fields.iter().map(|(name, field)| (name, field.key_span.start)).collect();
        assert_eq!(listed, [("a", 2), ("b", 3)]);
        let many = self::fields(20);
        let names: Vec<&str> = many.iter().map(|(name, _)| name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }
}
