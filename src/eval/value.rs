//! Runtime values: a value (possibly unknown) with the constitution values that decided it.

use std::rc::Rc;

use smallvec::SmallVec;

use crate::document::{Node, NodeKind, Provenance, Record};
use crate::source::Span;
use crate::value::Scalar;

/// A set of origin keys. Hashed with foldhash, which is several times faster than the
/// standard library's SipHash for these small keys and keeps a per-process seed.
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// A constitution value that contributed to a result, for blame: where it is and how it was
/// read, pointing at the value in the loaded document rather than holding a copy of it.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'d> {
    /// Where it is (for an unstated fact, where it belongs).
    pub span: Span,
    /// The field it was read from.
    pub field: &'d str,
    /// The value read (none for a fact the constitution leaves out).
    pub node: Option<&'d Node>,
    /// Stated, defaulted or absent.
    pub provenance: Provenance,
    /// True for a `ref` field: values read through it are blamed on it.
    pub reference: bool,
}

/// Two origins are the same value when they are the same place read the same way, with the
/// same single value (a list's items follow from its place).
impl PartialEq for Origin<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.span == other.span
            && self.field == other.field
            && self.provenance == other.provenance
            && self.reference == other.reference
            && same_value(self.node, other.node)
    }
}

impl Eq for Origin<'_> {}

/// Whether two nodes hold the same single value (a `ref` holds the key it names), or both
/// hold none (records, lists, tables, facts left out).
fn same_value(a: Option<&Node>, b: Option<&Node>) -> bool {
    match (single_value(a), single_value(b)) {
        (Some(SingleValue::Scalar(a)), Some(SingleValue::Scalar(b))) => a == b,
        (Some(SingleValue::Key(a)), Some(SingleValue::Key(b))) => a == b,
        (Some(SingleValue::Scalar(Scalar::Text(a))), Some(SingleValue::Key(b)))
        | (Some(SingleValue::Key(b)), Some(SingleValue::Scalar(Scalar::Text(a)))) => **a == *b,
        (None, None) => true,
        _ => false,
    }
}

/// The single value a node holds, borrowed.
enum SingleValue<'n> {
    /// A scalar.
    Scalar(&'n Scalar),
    /// The key a `ref` names, as written.
    Key(&'n str),
}

fn single_value(node: Option<&Node>) -> Option<SingleValue<'_>> {
    match &node?.kind {
        NodeKind::Scalar(scalar) => Some(SingleValue::Scalar(scalar)),
        NodeKind::Ref { key, .. } => Some(SingleValue::Key(key)),
        _ => None,
    }
}

impl<'d> Origin<'d> {
    /// Its value, when it is a single value (a `ref` gives the key it names, as text).
    pub fn value(&self) -> Option<Scalar> {
        match single_value(self.node)? {
            SingleValue::Scalar(scalar) => Some(scalar.clone()),
            SingleValue::Key(key) => Some(Scalar::Text(key.into())),
        }
    }

    /// For a list, its items (to say what it holds).
    pub fn items(&self) -> Option<&'d [Node]> {
        match &self.node?.kind {
            NodeKind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The label shown at this value: "`voting_rights` is 40%".
    pub fn describe(&self) -> String {
        if let Some(items) = self.items() {
            return self.describe_list(items);
        }
        match (&self.value(), self.provenance) {
            (_, Provenance::Absent) => format!("`{}` is not stated", self.field),
            (Some(value), Provenance::Defaulted) => {
                format!("`{}` is not stated, so it is {}", self.field, shown(value))
            }
            (Some(value), Provenance::Stated) => format!("`{}` is {}", self.field, shown(value)),
            (None, Provenance::Defaulted) => format!("`{}` is not stated", self.field),
            (None, Provenance::Stated) => format!("`{}`", self.field),
        }
    }
}

impl Origin<'_> {
    fn describe_list(&self, items: &[Node]) -> String {
        match self.list_held(items) {
            Held::Described(held) => format!("`{}` is {held}", self.field),
            Held::Entries(count) => format!("`{}` has {}", self.field, entries(count)),
        }
    }

    /// What a list holds: its items, when they can be shown, or else how many there are.
    fn list_held(&self, items: &[Node]) -> Held {
        let scalars: Option<Vec<String>> = items
            .iter()
            .map(|item| match &item.kind {
                NodeKind::Scalar(value) => Some(shown(value)),
                NodeKind::Ref { key, .. } => Some(format!("\"{key}\"")),
                _ => None,
            })
            .collect();
        match (items.len(), scalars, self.provenance) {
            (0, _, Provenance::Stated) => Held::Described("empty".to_owned()),
            (0, _, _) => Held::Described("not stated, so it is empty".to_owned()),
            (_, Some(values), _) => Held::Described(values.join(", ")),
            (count, None, _) => Held::Entries(count),
        }
    }

    /// The value as a trace shows it after the field's name: `40%`, `not stated`,
    /// `2018-04-01 (not stated: the default)`, `"a", "b"`, `not stated, so it is empty`,
    /// `a list of 3 entries`, `a table`.
    pub fn shown_value(&self) -> String {
        if let Some(items) = self.items() {
            return match self.list_held(items) {
                Held::Described(held) => held,
                Held::Entries(count) => format!("a list of {}", entries(count)),
            };
        }
        match (&self.value(), self.provenance) {
            (_, Provenance::Absent) | (None, Provenance::Defaulted) => "not stated".to_owned(),
            (Some(value), Provenance::Defaulted) => format!("{value} (not stated: the default)"),
            (Some(value), Provenance::Stated) => value.to_string(),
            (None, Provenance::Stated) => "a table".to_owned(),
        }
    }
}

/// What a list holds, as [`Origin`] describes it.
enum Held {
    /// Its items shown one by one, or that it is empty (and whether it was stated).
    Described(String),
    /// Only how many entries it has (its items are tables).
    Entries(usize),
}

/// "1 entry", "3 entries".
fn entries(count: usize) -> String {
    if count == 1 { "1 entry".to_owned() } else { format!("{count} entries") }
}

fn shown(value: &Scalar) -> String {
    match value {
        Scalar::Text(text) => format!("\"{text}\""),
        other => other.to_string(),
    }
}

/// The constitution values behind a value: most values have one (the field they were read
/// from), which is kept in place rather than on the heap.
pub type Origins<'d> = SmallVec<[Origin<'d>; 1]>;

/// What a value is.
#[derive(Clone, Debug)]
pub enum V<'d> {
    /// A single value.
    Scalar(Scalar),
    /// A record of the constitution.
    Record(&'d Record),
    /// A list, shared: reading it again (a `let`, a field read twice) copies no item.
    List(Rc<Vec<Val<'d>>>),
    /// A free-form table the constitution states, whose contents rules cannot read: it is
    /// set, but has no value to compare.
    Table,
    /// Not known: a fact the constitution does not state, or an undefined computation.
    Unknown,
}

/// A value with its origins.
#[derive(Debug)]
pub struct Val<'d> {
    /// The value.
    pub v: V<'d>,
    /// The constitution values that decided it.
    pub origins: Origins<'d>,
}

/// Origins are plain data, so they are copied as one block rather than one by one.
impl Clone for Val<'_> {
    fn clone(&self) -> Self {
        Val { v: self.v.clone(), origins: Origins::from_slice(&self.origins) }
    }
}

impl<'d> Val<'d> {
    /// A value with no origin in the constitution.
    pub fn plain(v: V<'d>) -> Self {
        Val { v, origins: Origins::new() }
    }

    /// A yes/no value with origins.
    pub fn bool(value: bool, origins: Origins<'d>) -> Self {
        Val { v: V::Scalar(Scalar::Bool(value)), origins }
    }

    /// Unknown, with origins.
    pub fn unknown(origins: Origins<'d>) -> Self {
        Val { v: V::Unknown, origins }
    }

    /// The name of the element this value is, for a record with a `name` (a per-element rule's
    /// or event's element).
    pub fn element_name(&self) -> Option<String> {
        match self.v {
            V::Record(record) => super::read::record_name(record).map(str::to_owned),
            _ => None,
        }
    }

    /// The truth value: `Some(b)` for a boolean, `None` when unknown.
    pub fn truth(&self) -> Option<bool> {
        match self.v {
            V::Scalar(Scalar::Bool(value)) => Some(value),
            _ => None,
        }
    }
}

/// Concatenates origins, dropping exact repeats, in time linear in both.
pub fn merge<'d>(mut a: Origins<'d>, b: Origins<'d>) -> Origins<'d> {
    if b.is_empty() {
        return a;
    }
    if a.is_empty() && b.len() == 1 {
        return b;
    }
    let total = a.len().saturating_add(b.len());
    if total.saturating_mul(total) <= SMALL_MERGE {
        for origin in b {
            if !a.contains(&origin) {
                a.push(origin);
            }
        }
        return a;
    }
    let mut gathered = Gather::from(a);
    gathered.add(b);
    gathered.into_vec()
}

/// The origins of `a` that are also in `b`, in linear time.
pub fn shared<'d>(a: &[Origin<'d>], b: &[Origin<'d>]) -> Origins<'d> {
    if a.len().saturating_mul(b.len()) <= SMALL_MERGE {
        return a.iter().filter(|origin| b.contains(origin)).cloned().collect();
    }
    let in_b: HashSet<OriginKey<'d>> = b.iter().map(key).collect();
    a.iter().filter(|origin| in_b.contains(&key(origin))).cloned().collect()
}

/// `origins` less those in `remove`, in linear time.
pub fn without<'d>(mut origins: Origins<'d>, remove: &[Origin<'d>]) -> Origins<'d> {
    if origins.len().saturating_mul(remove.len()) <= SMALL_MERGE {
        origins.retain(|origin| !remove.contains(origin));
        return origins;
    }
    let removed: HashSet<OriginKey<'d>> = remove.iter().map(key).collect();
    origins.retain(|origin| !removed.contains(&key(origin)));
    origins
}

/// Below this many comparisons a merge compares directly rather than hashing.
const SMALL_MERGE: usize = 256;

/// What identifies an origin for de-duplication: its place and how it was read. (Two reads
/// of one place the same way give the same value.)
type OriginKey<'d> = (Span, &'d str, Provenance, bool);

fn key<'d>(origin: &Origin<'d>) -> OriginKey<'d> {
    (origin.span, origin.field, origin.provenance, origin.reference)
}

/// Origins gathered over many values (the elements of a list), without repeats, in the order
/// first met; adding is linear in what is added, so gathering over n elements is linear in n.
#[derive(Default)]
pub struct Gather<'d> {
    list: Origins<'d>,
    seen: HashSet<OriginKey<'d>>,
}

impl<'d> Gather<'d> {
    /// Adds origins not already gathered.
    pub fn add(&mut self, origins: Origins<'d>) {
        for origin in origins {
            if self.seen.insert(key(&origin)) {
                self.list.push(origin);
            }
        }
    }

    /// Whether an origin with the same place and reading has been gathered.
    pub fn contains(&self, origin: &Origin<'d>) -> bool {
        self.seen.contains(&key(origin))
    }

    /// How many origins have been gathered.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether nothing has been gathered.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The origins, in the order first met.
    pub fn into_vec(self) -> Origins<'d> {
        self.list
    }
}

impl<'d> From<Origins<'d>> for Gather<'d> {
    fn from(origins: Origins<'d>) -> Self {
        let mut gathered = Gather {
            list: Origins::with_capacity(origins.len()),
            seen: HashSet::with_capacity_and_hasher(origins.len(), Default::default()),
        };
        gathered.add(origins);
        gathered
    }
}

/// The items of a shared list, one by one: taken without copying when nothing else holds
/// the list, else each copied as it is reached (the list itself is never copied whole).
pub fn owned_items<'d>(items: Rc<Vec<Val<'d>>>) -> Items<'d> {
    match Rc::try_unwrap(items) {
        Ok(items) => Items::Owned(items.into_iter()),
        Err(shared) => Items::Shared(shared, 0),
    }
}

/// The items of a list, in order: see [`owned_items`].
pub enum Items<'d> {
    /// A list nothing else holds: its items, moved out.
    Owned(std::vec::IntoIter<Val<'d>>),
    /// A list held elsewhere too (a `let`, a field read before): the next item's index.
    Shared(Rc<Vec<Val<'d>>>, usize),
}

impl<'d> Iterator for Items<'d> {
    type Item = Val<'d>;

    fn next(&mut self) -> Option<Val<'d>> {
        match self {
            Items::Owned(items) => items.next(),
            Items::Shared(items, next) => {
                let item = items.get(*next)?.clone();
                *next += 1;
                Some(item)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match self {
            Items::Owned(items) => items.len(),
            Items::Shared(items, next) => items.len().saturating_sub(*next),
        };
        (left, Some(left))
    }
}

impl ExactSizeIterator for Items<'_> {}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{Items, V, Val, owned_items};
    use crate::value::Scalar;

    fn list(numbers: &[i64]) -> Rc<Vec<Val<'static>>> {
        Rc::new(numbers.iter().map(|&n| Val::plain(V::Scalar(Scalar::Int(n)))).collect())
    }

    fn numbers(items: Items<'_>) -> Vec<i64> {
        items.map(|item| if let V::Scalar(Scalar::Int(n)) = item.v { n } else { -1 }).collect()
    }

    #[test]
    fn a_list_held_elsewhere_is_gone_through_in_order_and_left_whole() {
        let shared = list(&[3, 1, 2]);
        let items = owned_items(Rc::clone(&shared));
        assert!(matches!(items, Items::Shared(..)));
        assert_eq!(items.len(), 3);
        assert_eq!(numbers(items), [3, 1, 2]);
        assert_eq!(shared.len(), 3, "the shared list keeps its items");
    }

    #[test]
    fn a_list_held_nowhere_else_gives_up_its_items() {
        let items = owned_items(list(&[5, 4]));
        assert!(matches!(items, Items::Owned(..)));
        assert_eq!(items.size_hint(), (2, Some(2)));
        assert_eq!(numbers(items), [5, 4]);
    }
}
