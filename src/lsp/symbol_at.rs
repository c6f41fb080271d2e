//! The name under the cursor in a policy file, as the type checker resolved it: the current
//! policy set (built from the open buffers) is asked which symbol is written there.

use crate::policy::PolicySet;
use crate::policy::symbols::Symbol;
use crate::source::{Origin, Span};

use super::world::{Document, World};

/// A resolved name: the set it was resolved in, where it is written, and what it stands for.
pub struct Resolved<'w> {
    /// The policy set whose spans it uses.
    pub set: &'w PolicySet,
    /// The name's span at the cursor.
    pub span: Span,
    /// What it stands for.
    pub symbol: Symbol,
}

/// The symbol at `offset` of a policy `document`, if the current policy set resolved one.
pub fn symbol_at<'w>(world: &'w World, document: &Document, offset: usize) -> Option<Resolved<'w>> {
    let set: &PolicySet = &world.policies;
    let (file, _) = set.sources().iter().find(|(_, file)| file.name() == document.name)?;
    let offset = u32::try_from(offset).ok()?;
    let (span, symbol) = set.symbols().at(file, offset)?;
    Some(Resolved { set, span, symbol: symbol.clone() })
}

/// True when every place `spans` name is in a file that may be edited (not the embedded
/// standard library).
pub fn all_editable(set: &PolicySet, spans: &[Span]) -> bool {
    spans.iter().all(|span| set.sources().get(span.file).is_some_and(|file| file.origin() != Origin::Embedded))
}
