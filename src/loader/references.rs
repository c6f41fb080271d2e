//! Keys and references: duplicate keys in a keyed list (`schema.duplicate`), and the
//! resolution of every `ref LIST` value against the root's list `LIST` by key
//! (`schema.bad_reference`), once the whole document has been read.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::document::{Node, NodeKind, Provenance, Record};
use crate::schema::{Schema, did_you_mean};
use crate::source::Span;
use crate::value::Scalar;

use super::context::{Loader, Place, list_names, printable};

/// The index a [`NodeKind::Ref`] holds until it is resolved.
pub(super) const UNRESOLVED: usize = usize::MAX;

/// The most names listed in the help of a bad reference.
const MAX_LISTED: usize = 10;

/// The key of a loaded record, as a reference writes it, with the span of its value.
fn key_of<'r>(record: &'r Record, key: &str) -> Option<(Cow<'r, str>, Span)> {
    let field = record.field(key)?;
    let node = field.value.as_ref().filter(|_| field.provenance == Provenance::Stated)?;
    match &node.kind {
        NodeKind::Scalar(Scalar::Text(text)) => Some((Cow::Borrowed(text), node.span)),
        NodeKind::Scalar(value) => Some((Cow::Owned(value.to_string()), node.span)),
        _ => None,
    }
}

/// `schema.duplicate` for each element of a keyed list whose key an earlier element has,
/// at the later key with a label at the first.
pub(super) fn duplicates(loader: &mut Loader<'_>, key: &str, elements: &[Node], place: Place<'_>) {
    let mut first: HashMap<Cow<'_, str>, Span, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(elements.len(), Default::default());
    for element in elements {
        let NodeKind::Record(record) = &element.kind else {
            continue;
        };
        let Some((name, span)) = key_of(record, key) else {
            continue;
        };
        match first.get(&name) {
            Some(&earlier) => {
                let list = place.field;
                let message = format!("two entries of `{list}` have the {key} `{}`", printable(&name));
                let diagnostic = Diagnostic::new(BuiltinCode::SchemaDuplicate, message, Some(span))
                    .with_help(format!("give each entry of `{list}` a different `{key}`"))
                    .with_label(earlier, "first used here");
                loader.report(diagnostic);
            }
            None => {
                first.insert(name, span);
            }
        }
    }
}

/// The keys of one keyed list: in list order (`None` for an element whose key could not be
/// read), and indexed by key (the first element with it), so that resolving n references
/// costs time linear in n.
#[derive(Default)]
struct Keys {
    in_order: Vec<Option<String>>,
    index: HashMap<String, usize, foldhash::fast::RandomState>,
}

impl Keys {
    fn new(in_order: Vec<Option<String>>) -> Self {
        let mut index = HashMap::with_capacity_and_hasher(in_order.len(), Default::default());
        for (position, key) in in_order.iter().enumerate() {
            if let Some(key) = key {
                index.entry(key.clone()).or_insert(position);
            }
        }
        Keys { in_order, index }
    }
}

/// The keys of each keyed list field of the root record, by list name.
fn targets(schema: &Schema, root: &Record) -> BTreeMap<String, Keys> {
    let mut targets = BTreeMap::new();
    for (name, field) in root.fields.iter() {
        let Some(Node { kind: NodeKind::List(elements), .. }) = &field.value else {
            continue;
        };
        let keys = elements
            .iter()
            .map(|element| match &element.kind {
                NodeKind::Record(record) => {
                    let key = schema.record(&record.type_name)?.key.as_deref()?;
                    key_of(record, key).map(|(name, _)| name.into_owned())
                }
                _ => None,
            })
            .collect();
        targets.insert(name.to_string(), Keys::new(keys));
    }
    targets
}

/// Resolves every reference in the document, reporting `schema.bad_reference` for names
/// that are not keys of the list they refer to.
pub(super) fn resolve(loader: &mut Loader<'_>, root: &mut Record) {
    let targets = targets(loader.schema, root);
    resolve_record(loader, &targets, root);
}

/// Resolves the references in one record's fields.
fn resolve_record(loader: &mut Loader<'_>, targets: &BTreeMap<String, Keys>, record: &mut Record) {
    for (name, field) in record.fields.iter_mut() {
        if let Some(node) = &mut field.value {
            resolve_node(loader, targets, node, Place { field: name, parent: "", element: false });
        }
    }
}

/// Resolves the references in one value (a record or list is walked; the depth of the
/// walk is the depth of the loaded document, which the loader bounds).
fn resolve_node(loader: &mut Loader<'_>, targets: &BTreeMap<String, Keys>, node: &mut Node, place: Place<'_>) {
    let span = node.span;
    match &mut node.kind {
        NodeKind::Ref { list, index, key } => {
            let keys = targets.get(list.as_str());
            match keys.and_then(|keys| keys.index.get(key.as_str())) {
                Some(&position) => *index = position,
                None => {
                    let in_order = keys.map(|keys| keys.in_order.as_slice()).unwrap_or_default();
                    loader.report(bad_reference(list, key, in_order, span, place));
                }
            }
        }
        NodeKind::Record(record) => resolve_record(loader, targets, record),
        NodeKind::List(elements) => {
            for element in elements {
                resolve_node(loader, targets, element, place.element());
            }
        }
        NodeKind::Scalar(_) | NodeKind::Table => {}
    }
}

/// `schema.bad_reference` for `key`, which names no element of `list`.
fn bad_reference(list: &str, key: &str, keys: &[Option<String>], span: Span, place: Place<'_>) -> Diagnostic {
    let mut names: Vec<&str> = Vec::new();
    for name in keys.iter().flatten() {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let message = format!("{} names `{}`, which is not one of the `{list}`", place.subject(), printable(key));
    let listing = list_names(names.iter().copied(), MAX_LISTED);
    let help = match did_you_mean(key, names.iter().copied()) {
        _ if names.is_empty() => format!("no `{list}` are listed, so there is nothing to name"),
        Some(suggestion) => format!("{suggestion} (the `{list}` are {listing})"),
        None => format!("the `{list}` are {listing}"),
    };
    Diagnostic::new(BuiltinCode::SchemaBadReference, message, Some(span)).with_help(help)
}
