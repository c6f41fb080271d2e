//! Walking the document record by record against the schema: unknown keys, missing
//! fields, defaults and absent facts, lists, and the spans every field is given.
//!
//! Where a fact that is not written belongs (its `key_span`, and the span of a default
//! value): the enclosing table that is written, that is its `[header]`, `[[header]]`, or the
//! `{` of an inline table; for the root record, zero width at the start of the file.

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{BuiltinCode, Diagnostic, Fix, TextEdit};
use crate::document::{Field, Fields, Node, NodeKind, Provenance, Record};
use crate::schema::{DefaultValue, FieldDecl, FieldType, RecordDecl, did_you_mean};
use crate::source::Span;

use super::context::{Loader, Place, Raw, doc_phrase, join_path, list_names, printable};
use super::references::{self, UNRESOLVED};
use super::typing::{self, Problem};

/// The most field names listed in the help of an unknown field.
const MAX_LISTED: usize = 20;

impl Loader<'_> {
    /// Walks the root record over the whole document (whose span is the file start).
    pub(super) fn root(&mut self, decl: &RecordDecl, table: &DeTable<'_>) -> Record {
        self.record(decl, table, Span::file_start(self.file), "", 0)
    }

    /// Walks a written table as record `decl`. `span` is the table's header (or `{`),
    /// `path` the dotted path of the field holding it (empty for the root).
    fn record(&mut self, decl: &RecordDecl, table: &DeTable<'_>, span: Span, path: &str, depth: usize) -> Record {
        let mut record = Record {
            type_name: decl.name.clone(),
            span,
            present: true,
            fields: Fields::with_capacity(decl.fields.len()),
        };
        if self.too_deep(depth, span) {
            return record;
        }
        self.unknown_keys(decl, table, path);
        for field in &decl.fields {
            let stated = table.iter().find(|(key, _)| key.get_ref().as_ref() == &*field.name);
            let loaded = match stated {
                Some((key, raw)) => {
                    let place = Place { field: &field.name, parent: path, element: false };
                    let value =
                        self.value(&field.ty, raw, place, depth).filter(|node| self.within_minimum(field, node, place));
                    Field { value, provenance: Provenance::Stated, key_span: self.span(key.span()) }
                }
                None => self.left_out(field, span, path, depth),
            };
            record.fields.push(field.name.clone(), loaded);
        }
        record
    }

    /// A record whose table is not written: every field takes its default (`present` false).
    fn absent_record(&mut self, decl: &RecordDecl, span: Span, path: &str, depth: usize) -> Record {
        let mut record = Record {
            type_name: decl.name.clone(),
            span,
            present: false,
            fields: Fields::with_capacity(decl.fields.len()),
        };
        if self.too_deep(depth, span) {
            return record;
        }
        for field in &decl.fields {
            let loaded = self.left_out(field, span, path, depth);
            record.fields.push(field.name.clone(), loaded);
        }
        record
    }

    /// `schema.unknown_field` for every key of `table` that `decl` does not declare.
    fn unknown_keys(&mut self, decl: &RecordDecl, table: &DeTable<'_>, path: &str) {
        let names = || decl.fields.iter().map(|field| &*field.name);
        let unknown: Vec<_> = table.iter().filter(|(key, _)| decl.field(key.get_ref().as_ref()).is_none()).collect();
        if unknown.is_empty() {
            return;
        }
        // One unknown key where one required field is missing: likely that field, misnamed.
        let written = |name: &str| table.iter().any(|(key, _)| key.get_ref().as_ref() == name);
        let mut missing = decl.fields.iter().filter(|field| field.is_required() && !written(&field.name));
        let renamed = match (unknown.len(), missing.next(), missing.next()) {
            (1, Some(field), None) => Some(&*field.name),
            _ => None,
        };
        for (key, raw) in unknown {
            let name = key.get_ref().as_ref();
            let shown = printable(name);
            let message = if !path.is_empty() {
                format!("unknown field `{shown}` in `{path}`")
            } else if self.is_array_of_tables(raw) {
                format!("unknown table `[[{shown}]]`")
            } else if matches!(raw.get_ref(), DeValue::Table(_)) && self.slice(raw.span()).starts_with('[') {
                format!("unknown table `[{shown}]`")
            } else {
                format!("unknown field `{shown}`")
            };
            let help = did_you_mean(name, names())
                .or_else(|| {
                    renamed.map(|meant| {
                        format!("`{meant}` is required here and not written: if `{shown}` is meant to be `{meant}`, rename it")
                    })
                })
                .unwrap_or_else(|| match (path, decl.fields.is_empty()) {
                (_, true) => format!("`{path}` has no fields"),
                ("", false) => {
                    format!("a constitution has {}", list_names(names(), MAX_LISTED))
                }
                (_, false) => format!("the fields of `{path}` are {}", list_names(names(), MAX_LISTED)),
            });
            let diagnostic = Diagnostic::new(BuiltinCode::SchemaUnknownField, message, Some(self.span(key.span())));
            self.report(diagnostic.with_help(help));
        }
    }

    /// False (with a `schema.range` diagnostic) for a whole number below the field's `>= N`.
    fn within_minimum(&mut self, field: &FieldDecl, node: &Node, place: Place<'_>) -> bool {
        match (field.minimum, &node.kind) {
            (Some(minimum), NodeKind::Scalar(crate::value::Scalar::Int(value))) if *value < minimum => {
                let message = format!("{} must be at least {minimum}, not {value}", place.subject());
                let help = format!("write a whole number of {minimum} or more");
                self.problem(Problem::new(BuiltinCode::SchemaRange, message, Some(help)), node.span);
                false
            }
            _ => true,
        }
    }

    /// The field `field` of a record at `span` when the constitution leaves it out.
    fn left_out(&mut self, field: &FieldDecl, span: Span, path: &str, depth: usize) -> Field {
        if field.is_required() {
            self.missing(field, span, path);
            return Field { value: None, provenance: Provenance::Absent, key_span: span };
        }
        match &field.default {
            Some(default) => {
                let value = self.default_value(
                    &field.ty,
                    default,
                    span,
                    Place { field: &field.name, parent: path, element: false },
                    depth,
                );
                Field { value: Some(value), provenance: Provenance::Defaulted, key_span: span }
            }
            None => Field { value: None, provenance: Provenance::Absent, key_span: span },
        }
    }

    /// `schema.missing_field` for a required field left out of the record at `span`.
    fn missing(&mut self, field: &FieldDecl, span: Span, path: &str) {
        let name = &field.name;
        let header = join_path(path, name);
        let (message, action) = match &field.ty {
            FieldType::Record(_) => (format!("missing table `[{header}]`"), format!("add a `[{header}]` table")),
            FieldType::List { element, .. } if matches!(**element, FieldType::Record(_)) => {
                (format!("missing table `[[{header}]]`"), format!("add at least one `[[{header}]]` table"))
            }
            _ if path.is_empty() => (format!("missing field `{name}`"), format!("add `{name}`")),
            _ => (format!("missing field `{name}` in `{path}`"), format!("add `{name}`")),
        };
        let help = match field.doc.as_deref().and_then(doc_phrase) {
            Some(phrase) => format!("{action}: {phrase}"),
            None => action,
        };
        self.report(Diagnostic::new(BuiltinCode::SchemaMissingField, message, Some(span)).with_help(help));
    }

    /// The value of a defaulted field, placed at `span` (where the fact belongs).
    fn default_value(
        &mut self,
        ty: &FieldType,
        default: &DefaultValue,
        span: Span,
        place: Place<'_>,
        depth: usize,
    ) -> Node {
        let kind = match default {
            DefaultValue::Scalar(scalar) => NodeKind::Scalar(scalar.clone()),
            DefaultValue::EmptyList => NodeKind::List(Vec::new()),
            DefaultValue::EmptyRecord => {
                let schema = self.schema;
                match ty {
                    FieldType::Record(name) => match schema.record(name) {
                        Some(decl) => {
                            NodeKind::Record(Box::new(self.absent_record(decl, span, &place.path(), depth + 1)))
                        }
                        None => NodeKind::Table,
                    },
                    _ => NodeKind::Table,
                }
            }
        };
        Node { span, kind }
    }

    /// Reports a problem with a value at `span`.
    fn problem(&mut self, problem: Problem, span: Span) {
        let mut diagnostic = Diagnostic::new(problem.code, problem.message, Some(span));
        if let Some(text) = problem.replacement {
            diagnostic.fixes = vec![Fix { title: format!("write `{text}`"), edits: vec![TextEdit { span, text }] }];
        }
        self.report(diagnostic.with_optional_help(problem.help));
    }

    /// Converts a written value to type `ty`; `None` (with a diagnostic) when it does not fit.
    ///
    /// A record type whose declaration is missing (never, in a validated policy set) is
    /// kept as a free table.
    fn value(&mut self, ty: &FieldType, raw: &Raw<'_>, place: Place<'_>, depth: usize) -> Option<Node> {
        let span = self.span(raw.span());
        let written = self.slice(raw.span());
        let schema = self.schema;
        let kind = match ty {
            FieldType::Table => NodeKind::Table,
            FieldType::Record(name) => {
                let DeValue::Table(table) = raw.get_ref() else {
                    let help = if self.is_array_of_tables(raw) {
                        format!("write a single `[{0}]` table, not `[[{0}]]`", place.path())
                    } else if place.element {
                        format!("write each entry as a table, under its own `[[{}]]` header", place.path())
                    } else {
                        format!("write `{}` as a table, under a `[{}]` header", place.field, place.path())
                    };
                    self.problem(typing::mismatch(ty, raw.get_ref(), written, place, Some(help)), span);
                    return None;
                };
                match schema.record(name) {
                    Some(decl) => {
                        let record = self.record(decl, table, self.table_span(raw), &place.path(), depth + 1);
                        NodeKind::Record(Box::new(record))
                    }
                    None => NodeKind::Table,
                }
            }
            FieldType::List { element, non_empty } => {
                return self.list(ty, element, *non_empty, raw, place, depth);
            }
            FieldType::Ref { list, .. } => match raw.get_ref() {
                DeValue::String(key) => NodeKind::Ref { list: list.clone(), index: UNRESOLVED, key: key.to_string() },
                other => {
                    let help = format!("write the name in quotes, as it is written in `{list}`");
                    self.problem(typing::mismatch(ty, other, written, place, Some(help)), span);
                    return None;
                }
            },
            _ => match typing::scalar(schema, ty, raw.get_ref(), written, place) {
                Ok(scalar) => NodeKind::Scalar(scalar),
                Err(problem) => {
                    self.problem(problem, span);
                    return None;
                }
            },
        };
        Some(Node { span, kind })
    }

    /// Converts a written list (a TOML array, or `[[header]]` tables) of `element`s.
    ///
    /// A `non empty` list written with no entry is `schema.missing_field`, like a required
    /// field left out: in both cases a fact the constitution must state is missing, and the
    /// fix is the same (add an entry). `schema.range` is kept for values out of bounds.
    fn list(
        &mut self,
        ty: &FieldType,
        element: &FieldType,
        non_empty: bool,
        raw: &Raw<'_>,
        place: Place<'_>,
        depth: usize,
    ) -> Option<Node> {
        let span = self.span(raw.span());
        let written = self.slice(raw.span());
        let is_records = matches!(element, FieldType::Record(_));
        let DeValue::Array(items) = raw.get_ref() else {
            let help = match raw.get_ref() {
                DeValue::Table(_) if is_records => {
                    format!("write each entry under its own `[[{}]]` header", place.path())
                }
                DeValue::Table(_) | DeValue::Array(_) => {
                    "write the entries in square brackets, separated by commas".into()
                }
                _ if written.len() <= 60 && !written.contains(['\n', '\r']) => {
                    format!("write the entries in square brackets, for example `[{}]`", written.trim())
                }
                _ => "write the entries in square brackets, separated by commas".into(),
            };
            self.problem(typing::mismatch(ty, raw.get_ref(), written, place, Some(help)), span);
            return None;
        };
        if items.is_empty() && non_empty {
            let help = if is_records {
                format!("add at least one entry, for example under a `[[{}]]` header", place.path())
            } else {
                "add at least one entry".to_owned()
            };
            let message = format!("{} is empty, but at least one entry is required", place.subject());
            self.report(Diagnostic::new(BuiltinCode::SchemaMissingField, message, Some(span)).with_help(help));
        }
        let element_place = place.element();
        let nodes: Vec<Node> =
            items.iter().filter_map(|item| self.value(element, item, element_place, depth)).collect();
        if let FieldType::Record(name) = element {
            let key = self.schema.record(name).and_then(|decl| decl.key.as_deref());
            if let Some(key) = key {
                references::duplicates(self, key, &nodes, place);
            }
        }
        Some(Node { span, kind: NodeKind::List(nodes) })
    }
}
