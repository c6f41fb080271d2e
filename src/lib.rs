//! trustcheck checks proposed constitutions of council-owned and spun-out bodies against
//! governance rules written in a small policy language.
//!
//! The pipeline runs one way:
//! policy text → [`syntax`] (spanned AST) → [`policy`] (a name-resolved, type-checked
//! [`PolicySet`]); constitution TOML → [`loader`] (a spanned [`document::Document`]);
//! (policy set, document) → [`engine`] (rule outcomes with blame) → [`report::Report`] →
//! one renderer per output format.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let policies = trustcheck::PolicySet::standard();
//! let options = trustcheck::CheckOptions::as_of("2026-04-01".parse()?);
//! let report = policies.check_file("constitutions/our_trust.toml", &options)?;
//! println!("{}", report.render_plain());
//! # Ok(())
//! # }
//! ```

pub mod check;
pub mod cli;
pub mod clock;
pub mod compare;
pub mod diagnostic;
pub mod document;
pub mod draft_diff;
pub mod embedded;
pub mod engine;
pub mod english_dates;
pub mod eval;
pub mod formatter;
pub mod html;
pub mod ir_text;
pub mod json_schema;
pub mod limits;
pub mod loader;
pub mod lsp;
pub mod policy;
pub mod project;
pub mod report;
pub mod run;
pub mod sanitize;
pub mod schema;
pub mod schema_doc;
pub mod settings;
pub mod source;
pub mod syntax;
#[cfg(debug_assertions)]
mod test_defect;
pub mod testing;
pub mod timeline;
pub mod value;

pub use policy::PolicySet;
pub use report::Report;
pub use run::{CheckOptions, Input};
