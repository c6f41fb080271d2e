//! Every example in `docs/language.md` compiles as the text says.
//!
//! A fenced block whose info string starts with `policy` is an example policy file:
//! - ```` ```policy ```` is compiled together with the standard library and must produce no
//!   error diagnostic (warnings are allowed);
//! - ```` ```policy,error-CODE ```` must produce a diagnostic with that code in the block
//!   itself (for a warning code such as `policy.unused_let`, `warning-CODE` says so and
//!   then no error may be produced);
//! - `standalone` compiles the block alone, without the standard library (for examples that
//!   declare their own `root`).
//!
//! Other blocks (` ```toml `, ` ```text `) are not checked.

#![allow(clippy::panic, reason = "a malformed example block fails the test")]

use trustcheck::Input;
use trustcheck::policy::{PolicySet, PolicySource};
use trustcheck::report::Severity;

const DOC: &str = include_str!("../docs/language.md");

/// What a block must produce.
#[derive(Debug, PartialEq)]
enum Expect {
    /// No error diagnostic.
    Clean,
    /// An error with this code, in the block.
    Error(String),
    /// A warning with this code, in the block, and no error.
    Warning(String),
}

#[derive(Debug)]
struct Block {
    /// The line of the opening fence (1-based).
    line: usize,
    text: String,
    standalone: bool,
    expect: Expect,
}

fn blocks() -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = DOC.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else { continue };
        let mut attributes = info.trim().split(',').map(str::trim);
        let language = attributes.next().unwrap_or("");
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.trim_start().starts_with("```") {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        if language != "policy" {
            continue;
        }
        let mut block = Block { line: index + 1, text: body, standalone: false, expect: Expect::Clean };
        for attribute in attributes {
            if attribute == "standalone" {
                block.standalone = true;
            } else if let Some(code) = attribute.strip_prefix("error-") {
                block.expect = Expect::Error(code.to_owned());
            } else if let Some(code) = attribute.strip_prefix("warning-") {
                block.expect = Expect::Warning(code.to_owned());
            } else {
                panic!("docs/language.md:{}: unknown attribute `{attribute}` of a policy block", block.line);
            }
        }
        blocks.push(block);
    }
    blocks
}

fn compile(block: &Block) -> PolicySet {
    let name = format!("docs/language.md:{}", block.line);
    let file = PolicySource::File(Input::from_text(name, block.text.clone()));
    if block.standalone {
        PolicySet::from_sources(vec![file])
    } else {
        PolicySet::from_sources(vec![PolicySource::Standard, file])
    }
}

fn describe(set: &PolicySet) -> String {
    let mut out = String::new();
    for diagnostic in set.diagnostics() {
        let place = diagnostic
            .span()
            .and_then(|span| {
                let file = set.sources().get(span.file)?;
                let position = file.position(span.start);
                Some(format!("{}:{}:{}", file.name(), position.line, position.column))
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "  {place}: {}[{}] {}\n",
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message
        ));
    }
    out
}

#[test]
fn every_policy_example_compiles_as_documented() {
    let blocks = blocks();
    assert!(blocks.len() >= 60, "only {} policy examples found", blocks.len());
    let mut failures = Vec::new();
    for block in &blocks {
        let set = compile(block);
        let own_file = set.files().last().copied();
        let in_block = |code: &str, severity: Severity| {
            set.diagnostics().iter().chain(set.lints()).any(|diagnostic| {
                diagnostic.code == code
                    && diagnostic.severity == severity
                    && diagnostic.span().is_none_or(|span| Some(span.file) == own_file)
            })
        };
        let errors = set.diagnostics().iter().any(|diagnostic| diagnostic.severity == Severity::Error);
        let ok = match &block.expect {
            Expect::Clean => !errors && set.is_valid(),
            Expect::Error(code) => in_block(code, Severity::Error),
            Expect::Warning(code) => !errors && in_block(code, Severity::Warning),
        };
        if trustcheck::syntax::parse(&block.text, trustcheck::source::FileId(0)).is_ok() {
            match trustcheck::formatter::format(&block.text, trustcheck::source::FileId(0)) {
                Ok(formatted) => {
                    let again = trustcheck::formatter::format(&formatted, trustcheck::source::FileId(0));
                    if again.as_ref().ok() != Some(&formatted) {
                        failures.push(format!("docs/language.md:{}: formatting is not idempotent", block.line));
                    }
                }
                Err(error) => failures.push(format!("docs/language.md:{}: not formatted: {error:?}", block.line)),
            }
        }
        if !ok {
            failures.push(format!(
                "docs/language.md:{} (expected {:?}) produced:\n{}",
                block.line,
                block.expect,
                describe(&set)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_policy_checker_code_has_an_example() {
    let blocks = blocks();
    // Every code of the policy checker: all `policy.*` codes but arithmetic (a fault while
    // judging) and `policy.invalid` (the language server's note that a set has errors).
    let codes = trustcheck::diagnostic::BuiltinCode::ALL.iter().filter(|code| {
        code.prefix() == "policy"
            && !matches!(
                code,
                trustcheck::diagnostic::BuiltinCode::PolicyArithmetic
                    | trustcheck::diagnostic::BuiltinCode::PolicyInvalid
            )
    });
    for code in codes.map(|code| code.as_str()) {
        assert!(
            blocks.iter().any(|block| matches!(&block.expect, Expect::Error(c) | Expect::Warning(c) if c == code)),
            "no example in docs/language.md shows `{code}`"
        );
    }
}

#[test]
fn the_extractor_sees_attributes() {
    let blocks = blocks();
    assert!(blocks.iter().any(|block| block.standalone));
    assert!(blocks.iter().any(|block| matches!(block.expect, Expect::Error(_))));
    assert!(blocks.iter().all(|block| !block.text.trim().is_empty()));
}
