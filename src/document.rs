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
    /// Every field declared by the schema, in the schema's order.
    pub fields: Fields,
}

/// A record's fields: every field its schema declares, in declaration order, so that a
/// rule compiled against the schema reads one by its position (its slot) instead of
/// searching for its name.
#[derive(Clone, Debug, Default)]
pub struct Fields(Vec<(Arc<str>, Field)>);

impl Fields {
    /// No fields, with room for `count`.
    pub fn with_capacity(count: usize) -> Self {
        Fields(Vec::with_capacity(count))
    }

    /// Adds the next field in declaration order.
    pub fn push(&mut self, name: Arc<str>, field: Field) {
        self.0.push((name, field));
    }

    /// A field by name.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.0.iter().find(|(key, _)| **key == *name).map(|(_, field)| field)
    }

    /// Where the field named `name` is: at `slot` (its position in the schema's declaration)
    /// when it is there, else wherever it is, so that a slot compiled against another schema
    /// costs a search, never a wrong value.
    pub fn position(&self, slot: usize, name: &str) -> Option<usize> {
        match self.0.get(slot) {
            Some((key, _)) if **key == *name => Some(slot),
            _ => self.0.iter().position(|(key, _)| **key == *name),
        }
    }

    /// The field at a position found by [`Fields::position`], with its name.
    pub fn entry(&self, position: usize) -> Option<(&Arc<str>, &Field)> {
        self.0.get(position).map(|(key, field)| (key, field))
    }

    /// The field named `name`, looked for first at `slot` (see [`Fields::position`]).
    pub fn at(&self, slot: usize, name: &str) -> Option<(&Arc<str>, &Field)> {
        self.position(slot, name).and_then(|position| self.entry(position))
    }

    /// Every field with its name, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Field)> {
        self.0.iter().map(|(key, field)| (key, field))
    }

    /// Every field with its name, in declaration order, to change the values.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Arc<str>, &mut Field)> {
        self.0.iter_mut().map(|(key, field)| (&*key, field))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every field, in declaration order.
    pub fn values(&self) -> impl Iterator<Item = &Field> {
        self.0.iter().map(|(_, field)| field)
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
