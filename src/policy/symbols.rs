//! The use→definition table the type checker fills: every name it resolved in an expression
//! (a `let`, a table, a variable, a field, an enum value or enum), where it was written, and
//! where each thing is declared. The language server's hover, go-to-definition, references
//! and rename read it, so they resolve names exactly as the checker did.

use std::collections::BTreeMap;

use crate::schema::Schema;
use crate::source::{FileId, Span};

/// A thing a name can stand for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Symbol {
    /// A `let`, by name.
    Let(String),
    /// A dated table, by name.
    Table(String),
    /// A variable bound by a quantifier, comprehension, `for` or parameter: its binding.
    Local {
        /// Its name.
        name: String,
        /// Where it is bound.
        binding: Span,
    },
    /// A field of a record.
    Field {
        /// The record.
        record: String,
        /// The field.
        field: String,
    },
    /// A value of an enum.
    Variant {
        /// The enum.
        enumeration: String,
        /// The value.
        variant: String,
    },
    /// An enum, named in `Enum.value`.
    Enum(String),
}

impl Symbol {
    /// The name as written.
    pub fn name(&self) -> &str {
        match self {
            Symbol::Let(name) | Symbol::Table(name) | Symbol::Enum(name) => name,
            Symbol::Local { name, .. } => name,
            Symbol::Field { field, .. } => field,
            Symbol::Variant { variant, .. } => variant,
        }
    }

    /// True when renaming it changes only policy files: a `let`, a table or a variable. Fields,
    /// enum values and enums are also the constitution's words, so they are not renamed here.
    pub fn is_renamable(&self) -> bool {
        matches!(self, Symbol::Let(_) | Symbol::Table(_) | Symbol::Local { .. })
    }
}

/// Every resolved use of a name, and where each thing is declared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Symbols {
    /// The uses, sorted by position.
    uses: Vec<(Span, Symbol)>,
    /// The name of each declaration.
    definitions: BTreeMap<Symbol, Span>,
}

impl Symbols {
    /// A table of `uses` and the definitions of `lets`, `tables` and the schema's records,
    /// fields, enums and values.
    pub fn new(
        mut uses: Vec<(Span, Symbol)>,
        lets: impl IntoIterator<Item = (String, Span)>,
        tables: impl IntoIterator<Item = (String, Span)>,
        schema: &Schema,
    ) -> Symbols {
        uses.sort_by_key(|(span, _)| (span.file.0, span.start, span.end));
        uses.dedup();
        let mut definitions = BTreeMap::new();
        for (name, span) in lets {
            definitions.insert(Symbol::Let(name), span);
        }
        for (name, span) in tables {
            definitions.insert(Symbol::Table(name), span);
        }
        for record in schema.records.values() {
            for field in &record.fields {
                definitions.insert(
                    Symbol::Field { record: record.name.to_string(), field: field.name.to_string() },
                    field.span,
                );
            }
        }
        for decl in schema.enums.values() {
            definitions.insert(Symbol::Enum(decl.name.clone()), decl.span);
            for variant in &decl.variants {
                definitions.insert(
                    Symbol::Variant { enumeration: decl.name.clone(), variant: variant.name.clone() },
                    variant.span,
                );
            }
        }
        for (_, symbol) in &uses {
            if let Symbol::Local { binding, .. } = symbol {
                definitions.insert(symbol.clone(), *binding);
            }
        }
        Symbols { uses, definitions }
    }

    /// The name at `offset` of `file`, a use or a declaration, with its span.
    pub fn at(&self, file: FileId, offset: u32) -> Option<(Span, &Symbol)> {
        let contains = |span: &Span| span.file == file && span.start <= offset && offset <= span.end;
        self.uses
            .iter()
            .find(|(span, _)| contains(span))
            .map(|(span, symbol)| (*span, symbol))
            .or_else(|| self.definitions.iter().find(|(_, span)| contains(span)).map(|(symbol, span)| (*span, symbol)))
    }

    /// Where `symbol` is declared.
    pub fn definition(&self, symbol: &Symbol) -> Option<Span> {
        self.definitions.get(symbol).copied()
    }

    /// Every place `symbol` is written: its declaration first, then its uses in order.
    pub fn references(&self, symbol: &Symbol) -> Vec<Span> {
        let uses = self.uses.iter().filter(|(_, used)| used == symbol).map(|(span, _)| *span);
        self.definition(symbol).into_iter().chain(uses).collect()
    }
}
