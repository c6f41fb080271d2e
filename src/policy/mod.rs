//! The policy set: every policy file of a run, parsed, name-resolved and type-checked
//! into one program. Plain data: checking constitutions against it is [`crate::check`]'s.

pub mod artifact;
pub mod compile;
pub mod contradiction;
pub mod ir;
pub mod schema_build;
pub mod symbols;
pub mod typeck;

use crate::diagnostic::{BuiltinCode, Diagnostic, Severity, sort_diagnostics};
use crate::embedded::STANDARD_LIBRARY;
use crate::limits::{PARSER_STACK_BYTES, PARSER_STACK_RED_ZONE};
use crate::run::{Decoded, Input, decode};
use crate::schema::Schema;
use crate::source::{FileId, Origin, SourceMap};
use crate::syntax;

use ir::Program;
use symbols::Symbols;

/// Where a policy file comes from.
#[derive(Debug)]
pub enum PolicySource {
    /// The standard library embedded in the binary (`--policy std`).
    Standard,
    /// A file given by the user.
    File(Input),
}

/// A policy set: its files, the schema they declare and the compiled program, or the
/// diagnostics that say why it is not valid.
#[derive(Debug, Default)]
pub struct PolicySet {
    sources: SourceMap,
    files: Vec<FileId>,
    /// Files that could not be read, with the diagnostic saying why.
    unreadable: Vec<(String, Diagnostic)>,
    schema: Schema,
    program: Program,
    diagnostics: Vec<Diagnostic>,
    /// Lint warnings, shown by `validate` only.
    lints: Vec<Diagnostic>,
    /// Where each name of an expression was resolved to, for the language server.
    symbols: Symbols,
}

impl PolicySet {
    /// The standard library embedded in the binary.
    pub fn standard() -> PolicySet {
        PolicySet::from_sources(vec![PolicySource::Standard])
    }

    /// Parses and checks the given policy files as one program. Never fails: problems are
    /// kept as diagnostics (see [`PolicySet::is_valid`]).
    pub fn from_sources(sources: Vec<PolicySource>) -> PolicySet {
        PolicySet::build(sources, false)
    }

    /// The same, also recording where every name is used ([`PolicySet::symbols`]), which the
    /// language server reads and checking does not need.
    pub fn from_sources_with_symbols(sources: Vec<PolicySource>) -> PolicySet {
        PolicySet::build(sources, true)
    }

    /// The standard library compiled from its text, ignoring the embedded artifact, encoded
    /// as that artifact ([`artifact`]): what `src/policy/standard.postcard` must hold.
    pub fn standard_artifact() -> Vec<u8> {
        let set = PolicySet::compile(vec![PolicySource::Standard], false);
        artifact::encode(&set.schema, &set.program)
    }

    fn build(sources: Vec<PolicySource>, record_symbols: bool) -> PolicySet {
        if !record_symbols && matches!(sources.as_slice(), [PolicySource::Standard]) {
            if let Some((schema, program)) = artifact::load() {
                let mut set = PolicySet::default();
                for (name, text) in STANDARD_LIBRARY {
                    let id = set.sources.add(*name, *text, Origin::Embedded);
                    set.files.push(id);
                }
                set.schema = schema;
                set.program = program;
                return set;
            }
        }
        PolicySet::compile(sources, record_symbols)
    }

    /// Parses and type-checks policy files from their text.
    fn compile(sources: Vec<PolicySource>, record_symbols: bool) -> PolicySet {
        let mut set = PolicySet::default();
        let with_standard = sources.iter().any(|source| matches!(source, PolicySource::Standard));
        for source in sources {
            match source {
                PolicySource::Standard => {
                    for (name, text) in STANDARD_LIBRARY {
                        let id = set.sources.add(*name, *text, Origin::Embedded);
                        set.files.push(id);
                    }
                }
                PolicySource::File(input) => match decode(input) {
                    Decoded::Text(name, text) => {
                        let id = set.sources.add(name, text, Origin::Disk);
                        set.files.push(id);
                    }
                    Decoded::Unreadable(name, diagnostic) => set.unreadable.push((name, *diagnostic)),
                },
            }
        }
        let (schema, program, symbols, mut diagnostics) =
            with_parser_stack(|| compile_all(&set.sources, &set.files, record_symbols));
        if !with_standard && diagnostics.iter().any(|d| d.code == BuiltinCode::PolicyUnknownName) {
            hint_standard_library(&mut diagnostics);
        }
        sort_diagnostics(&mut diagnostics);
        diagnostics.dedup();
        let (lints, diagnostics): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(|d| d.code.builtin().is_some_and(BuiltinCode::is_lint));
        set.lints = lints;
        set.schema = schema;
        set.program = program;
        set.symbols = symbols;
        set.diagnostics = diagnostics;
        set
    }

    /// True when the set parsed and type-checked without errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.unreadable.is_empty() && !self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// Policy files that could not be read, by name, with the reason.
    pub fn unreadable(&self) -> &[(String, Diagnostic)] {
        &self.unreadable
    }

    /// Lint warnings (a rule without a citation or help, a constant condition, a law rule's
    /// citation without pinpoint or link, an `at` on a whole list of entries), sorted:
    /// `validate` shows them; checking does not.
    pub fn lints(&self) -> &[Diagnostic] {
        &self.lints
    }

    /// Problems found in the policy files (errors and warnings), sorted.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The schema of constitutions the set declares.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Where each name of an expression was resolved to (hover, definitions, references).
    pub fn symbols(&self) -> &Symbols {
        &self.symbols
    }

    /// The compiled program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The text of the policy files.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// A short fingerprint of the policy set's files (their names and text, in order), so that
    /// a report says exactly which policies judged it: 16 hexadecimal digits of FNV-1a.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for id in &self.files {
            let Some(file) = self.sources.get(*id) else { continue };
            for byte in file.name().bytes().chain([0]).chain(file.text().bytes()).chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }

    /// The policy files, in the order given.
    pub fn files(&self) -> &[FileId] {
        &self.files
    }

    /// The name of the file a rule is defined in and the rule's full source text.
    pub fn rule_text(&self, id: &str) -> Option<(String, String)> {
        let rule = self.program.rules.iter().find(|rule| *rule.id == *id)?;
        let file = self.sources.get(rule.span.file)?;
        let start = file.text().get(..rule.span.start as usize)?.rfind('\n').map_or(0, |index| index + 1);
        let mut span = rule.span;
        span.start = u32::try_from(start).unwrap_or(span.start);
        // The rule's span starts at its doc comment; widen it to the start of that line so that
        // the indentation of the first line matches the others.
        Some((file.name().to_owned(), file.slice(span).to_owned()))
    }
}

/// Runs `work` with at least [`PARSER_STACK_RED_ZONE`] of stack available, growing the stack
/// onto the heap ([`PARSER_STACK_BYTES`] more) only when the current thread has less left: parsing recurses, and nesting is
/// bounded (see `syntax::prescan`) so that this is always enough.
/// Adds, to each unknown name that the standard library defines, the hint that `--policy`
/// replaced the standard library and `--policy std` brings it back.
fn hint_standard_library(diagnostics: &mut [Diagnostic]) {
    let standard = PolicySet::standard();
    let schema = standard.schema();
    let defines = |name: &str| {
        schema.records.contains_key(name)
            || schema.enums.contains_key(name)
            || standard.program().lets.iter().any(|def| def.name == name)
            || standard.program().tables.iter().any(|def| def.name == name)
    };
    for diagnostic in diagnostics.iter_mut().filter(|d| d.code == BuiltinCode::PolicyUnknownName) {
        let named = diagnostic.message.split('`').nth(1).map(str::to_owned);
        if let Some(name) = named.filter(|name| defines(name)) {
            diagnostic.help = Some(format!(
                "`{name}` is defined by the standard library, which `--policy` replaces: add `--policy std` (or \"std\" to `policies` in trustcheck.toml)"
            ));
        }
    }
}

fn with_parser_stack<T>(work: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(PARSER_STACK_RED_ZONE, PARSER_STACK_BYTES, work)
}

/// Parses every file, in order. The files are independent: on a machine with more than one
/// core, they are shared between this thread and one more, by size so that both finish together.
fn parse_files(sources: &SourceMap, files: &[FileId]) -> Vec<Result<syntax::ast::File, Vec<Diagnostic>>> {
    let parse = |id: FileId| match sources.get(id) {
        Some(file) => syntax::parse(file.text(), id),
        None => Ok(syntax::ast::File::default()),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || files.len() < 2 {
        return files.iter().map(|id| parse(*id)).collect();
    }
    let size = |index: &usize| files.get(*index).and_then(|id| sources.get(*id)).map_or(0, |file| file.text().len());
    let mut by_size: Vec<usize> = (0..files.len()).collect();
    by_size.sort_by_key(|index| std::cmp::Reverse(size(index)));
    let (mut mine, mut theirs, mut my_load, mut their_load) = (Vec::new(), Vec::new(), 0, 0);
    for index in by_size {
        if my_load <= their_load {
            my_load += size(&index);
            mine.push(index);
        } else {
            their_load += size(&index);
            theirs.push(index);
        }
    }
    let parse_share = |share: &[usize]| -> Vec<(usize, Result<syntax::ast::File, Vec<Diagnostic>>)> {
        share.iter().filter_map(|index| files.get(*index).map(|id| (*index, parse(*id)))).collect()
    };
    let mut results = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .stack_size(PARSER_STACK_RED_ZONE * 2)
            .spawn_scoped(scope, || parse_share(&theirs));
        let mut results = parse_share(&mine);
        match helper.map(|handle| handle.join()) {
            Ok(Ok(theirs)) => results.extend(theirs),
            _ => results.extend(parse_share(&theirs)),
        }
        results
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, parsed)| parsed).collect()
}

fn compile_all(
    sources: &SourceMap,
    files: &[FileId],
    record_symbols: bool,
) -> (Schema, Program, Symbols, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    for result in parse_files(sources, files) {
        match result {
            Ok(ast) => parsed.push(ast),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let schema = schema_build::build_schema(&parsed, &mut diagnostics);
    let (program, symbols) = if diagnostics.iter().any(|d| d.severity == Severity::Error) && schema.root.is_empty() {
        (Program::default(), Symbols::default())
    } else {
        compile::compile(&parsed, &schema, &mut diagnostics, record_symbols)
    };
    (schema, program, symbols, diagnostics)
}
