//! Reading the constitution: field values with the places they come from, `ref`s followed.

use super::Evaluator;
use super::value::{Origin, Origins, V, Val, merge};
use crate::document::{Field, Node, NodeKind, Provenance, Record};
use crate::source::Span;
use crate::value::Scalar;
use smallvec::smallvec;

impl<'d> Evaluator<'_, 'd> {
    /// Reads field `name` of a record value, at `slot` among its fields (see
    /// [`crate::document::Fields::at`]).
    pub fn field(&self, base: Val<'d>, slot: usize, name: &str) -> Val<'d> {
        if !matches!(base.v, V::Record(_)) {
            return Val::unknown(base.origins);
        }
        self.field_of(&base, slot, name)
    }

    /// Reads a field of a record value held elsewhere (a local), copying only what the
    /// result keeps of it.
    pub(super) fn field_of(&self, base: &Val<'d>, slot: usize, name: &str) -> Val<'d> {
        let V::Record(record) = base.v else {
            return Val::unknown(base.origins.clone());
        };
        let mut value = match record.fields.at(slot, name) {
            Some((key, field)) => self.field_value(key, field),
            None => Val::unknown(Origins::new()),
        };
        // A record reached through a `ref` is blamed on the reference (the seat's
        // `member = "…"`), which is where the rule's element names it.
        if self.blame && base.origins.iter().any(|origin| origin.reference) {
            let references: Origins<'d> = base.origins.iter().filter(|origin| origin.reference).copied().collect();
            let missing = value.origins.into_iter().filter(|origin| origin.provenance == Provenance::Absent).collect();
            value.origins = merge(references, missing);
        }
        value
    }

    pub(super) fn field_value(&self, name: &'d str, field: &'d Field) -> Val<'d> {
        match &field.value {
            None => Val::unknown(self.blamed(Origin {
                span: field.key_span,
                field: name,
                node: None,
                provenance: Provenance::Absent,
                reference: false,
            })),
            Some(node) => self.node_value(name, node, field.blame_span(), field.provenance),
        }
    }

    /// The origins of a value read at `origin`: it alone with blame, none without.
    fn blamed(&self, origin: Origin<'d>) -> Origins<'d> {
        if self.blame { smallvec![origin] } else { Origins::new() }
    }

    /// The element a `ref` names: item `index` of the root's list field `list`.
    fn reference_target(&self, list: &str, index: usize) -> Option<&'d NodeKind> {
        self.document
            .root
            .fields
            .get(list)
            .and_then(|field| match &field.value {
                Some(Node { kind: NodeKind::List(items), .. }) => items.get(index),
                _ => None,
            })
            .map(|node| &node.kind)
    }

    pub(super) fn node_value(&self, name: &'d str, node: &'d Node, span: Span, provenance: Provenance) -> Val<'d> {
        let origin = Origin { span, field: name, node: Some(node), provenance, reference: false };
        match &node.kind {
            NodeKind::Scalar(scalar) => Val { v: V::Scalar(scalar.clone()), origins: self.blamed(origin) },
            NodeKind::Record(record) => Val { v: V::Record(record), origins: self.blamed(origin) },
            NodeKind::List(nodes) => {
                let items = nodes.iter().map(|item| self.node_value(name, item, item.span, provenance)).collect();
                Val { v: V::List(std::rc::Rc::new(items)), origins: self.blamed(origin) }
            }
            NodeKind::Ref { list, index, .. } => {
                let origins = self.blamed(Origin { reference: true, ..origin });
                match self.reference_target(list, *index) {
                    Some(NodeKind::Record(record)) => Val { v: V::Record(record), origins },
                    _ => Val::unknown(origins),
                }
            }
            NodeKind::Table => Val { v: V::Table, origins: self.blamed(origin) },
        }
    }
}

/// The display name of a record: its `name` field, if it has one.
pub fn record_name(record: &Record) -> Option<&str> {
    match record.fields.get("name").and_then(|field| field.value.as_ref()).map(|node| &node.kind) {
        Some(NodeKind::Scalar(Scalar::Text(name))) => Some(name),
        _ => None,
    }
}
