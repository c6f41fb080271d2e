//! The constitution loader: TOML text → a spanned [`Document`] checked against the schema.
//!
//! The stages run one way:
//! 1. `toml_syntax`: the text (less any UTF-8 byte-order mark) is parsed by the `toml`
//!    crate's spanned parser; if it does not parse, every syntax error becomes a
//!    `toml.syntax` diagnostic and nothing else is checked.
//! 2. `records`: the root record of the schema is walked table by table: unknown keys,
//!    missing fields, defaults, and the conversion of each value (`typing`, with the
//!    officer's notations for percentages, money, durations and dates in `notations`, and
//!    dates written in English in [`crate::english_dates`] and durations, percentages and money
//!    written in words in `meant`, for the help and its quick fix).
//! 3. `references`: duplicate keys in keyed lists, then every `ref LIST` field is resolved
//!    against the root's list `LIST` once the whole document has been read.
//!
//! Every problem is reported, sorted by offset then code; the document is returned only
//! when there is no error. Spans always index the file text as held by the
//! [`SourceMap`], byte-order mark included.

mod context;
mod meant;
mod notations;
mod records;
mod references;
mod toml_syntax;
mod typing;

use crate::diagnostic::{BuiltinCode, Diagnostic, Severity};
use crate::document::Document;
use crate::schema::Schema;
use crate::source::{FileId, SourceMap, Span};

use context::Loader;

/// The result of loading one constitution.
#[derive(Debug)]
pub struct Loaded {
    /// The document, when it fits the schema (no error diagnostics).
    pub document: Option<Document>,
    /// Every problem found, sorted by offset then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// The UTF-8 byte-order mark, skipped before parsing (offsets still count it).
const BOM: char = '\u{feff}';

/// Loads the constitution in `file` (already in `sources`) against `schema`.
pub fn load(sources: &SourceMap, file: FileId, schema: &Schema) -> Loaded {
    let Some(source) = sources.get(file) else {
        let diagnostic = Diagnostic::new(
            BuiltinCode::IoRead,
            "the constitution was not read before loading",
            Some(Span::file_start(file)),
        );
        return finish(None, vec![diagnostic]);
    };
    let text = source.text();
    let (base, body) = match text.strip_prefix(BOM) {
        Some(rest) => (BOM.len_utf8(), rest),
        None => (0, text),
    };

    let (table, errors) = toml::de::DeTable::parse_recoverable(body);
    if !errors.is_empty() {
        return finish(None, toml_syntax::diagnostics(&errors, file, base, body));
    }

    let Some(root_decl) = schema.root_record() else {
        let diagnostic = Diagnostic::new(
            BuiltinCode::PolicyUnknownName,
            "the policy set declares no root record, so no constitution can be read",
            Some(Span::file_start(file)),
        )
        .with_help("declare the record a constitution is with `root`, as the standard `schema.policy` does");
        return finish(None, vec![diagnostic]);
    };

    let mut loader = Loader::new(file, text, base, schema);
    let mut root = loader.root(root_decl, table.get_ref());
    references::resolve(&mut loader, &mut root);

    let diagnostics = loader.into_diagnostics();
    let has_errors = diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error);
    let document = (!has_errors).then_some(Document { file, root });
    finish(document, diagnostics)
}

/// Sorts the diagnostics by offset then code and bundles the result.
fn finish(document: Option<Document>, mut diagnostics: Vec<Diagnostic>) -> Loaded {
    crate::diagnostic::sort_diagnostics(&mut diagnostics);
    Loaded { document, diagnostics }
}
