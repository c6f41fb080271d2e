//! The schema of constitutions, as declared in the policy language (`record`, `enum`,
//! `root`, `extend`).
//!
//! The checker builds a [`Schema`] from the policy set; the constitution loader checks
//! documents against it, the evaluator navigates documents with it, and the language
//! server and JSON Schema export describe it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ir_text::IrText;
use crate::source::Span;
use crate::value::Scalar;

/// The type of a field in a record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FieldType {
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `decimal`
    Decimal,
    /// `percent`
    Percent,
    /// `money`
    Money,
    /// `date`
    Date,
    /// `duration`
    Duration,
    /// `text`
    Text,
    /// `table`: any TOML, never read by rules.
    Table,
    /// An enum, by name.
    Enum(String),
    /// A record, by name.
    Record(String),
    /// `list of T` (`non empty list of T` when `non_empty`).
    List {
        /// The element type.
        element: Box<FieldType>,
        /// At least one element is required.
        non_empty: bool,
    },
    /// `ref LIST`: names an element of a list field of the root record by its key.
    Ref {
        /// The list field of the root record (`members`).
        list: String,
        /// The record type of that list's elements (`Member`).
        record: String,
    },
}

impl FieldType {
    /// How the type is written in the policy language (`list of ref members`).
    pub fn describe(&self) -> String {
        match self {
            FieldType::Bool => "bool".into(),
            FieldType::Int => "int".into(),
            FieldType::Decimal => "decimal".into(),
            FieldType::Percent => "percent".into(),
            FieldType::Money => "money".into(),
            FieldType::Date => "date".into(),
            FieldType::Duration => "duration".into(),
            FieldType::Text => "text".into(),
            FieldType::Table => "table".into(),
            FieldType::Enum(name) | FieldType::Record(name) => name.clone(),
            FieldType::List { element, non_empty: false } => format!("list of {}", element.describe()),
            FieldType::List { element, non_empty: true } => format!("non empty list of {}", element.describe()),
            FieldType::Ref { list, .. } => format!("ref {list}"),
        }
    }
}

/// A field's default value, used when a constitution leaves the field out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DefaultValue {
    /// A literal value.
    Scalar(Scalar),
    /// The empty list `[]`.
    EmptyList,
    /// `{}`: a record table that may be left out, every field then taking its default.
    EmptyRecord,
}

/// One field of a record.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FieldDecl {
    /// The field name, as written in constitutions (shared with every record loaded).
    pub name: Arc<str>,
    /// Its type.
    pub ty: FieldType,
    /// `T?`: may be left out, and then reads as unknown.
    pub optional: bool,
    /// `= x`: the value when left out.
    pub default: Option<DefaultValue>,
    /// `>= N`: the least value an `int` field may take (`schema.range` below it).
    pub minimum: Option<i64>,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// Where it is declared.
    pub span: Span,
}

impl FieldDecl {
    /// A field the constitution must state: neither optional nor defaulted.
    pub fn is_required(&self) -> bool {
        !self.optional && self.default.is_none()
    }
}

/// A record type: a TOML table in constitutions.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RecordDecl {
    /// The record name (`Member`), shared with every record loaded.
    pub name: Arc<str>,
    /// Its fields in declaration order (extensions last).
    pub fields: Vec<FieldDecl>,
    /// The field marked `key`, unique within a list and named by `ref`s.
    pub key: Option<String>,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// Where it is declared.
    pub span: Span,
}

impl RecordDecl {
    /// The field with this name.
    pub fn field(&self, name: &str) -> Option<&FieldDecl> {
        self.field_slot(name).map(|(_, field)| field)
    }

    /// The field with this name and its slot: its position in declaration order, which is
    /// where every loaded record of this type holds it.
    pub fn field_slot(&self, name: &str) -> Option<(usize, &FieldDecl)> {
        self.fields.iter().enumerate().find(|(_, field)| *field.name == *name)
    }
}

/// One value of an enum.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct VariantDecl {
    /// The value as written (`local_authority`).
    pub name: String,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// Where it is declared.
    pub span: Span,
}

/// An enum type: a string in constitutions drawn from a fixed list.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EnumDecl {
    /// The enum name (`MemberKind`).
    pub name: String,
    /// Its values, included enums' values first, then its own, then extensions.
    pub variants: Vec<VariantDecl>,
    /// Enums whose values it includes (`enum Function includes Service`).
    pub includes: Vec<String>,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// Where it is declared.
    pub span: Span,
}

impl EnumDecl {
    /// True when `value` is one of its values.
    pub fn has(&self, value: &str) -> bool {
        self.variants.iter().any(|variant| variant.name == value)
    }

    /// The declaration of one of its values.
    pub fn variant(&self, value: &str) -> Option<&VariantDecl> {
        self.variants.iter().find(|variant| variant.name == value)
    }
}

/// The whole schema: records, enums and the root record that a constitution is.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Schema {
    /// Record types by name.
    pub records: BTreeMap<String, RecordDecl>,
    /// Enum types by name.
    pub enums: BTreeMap<String, EnumDecl>,
    /// The root record's name (`Constitution`).
    pub root: String,
}

impl Schema {
    /// The root record, if the schema declares one.
    pub fn root_record(&self) -> Option<&RecordDecl> {
        self.records.get(&self.root)
    }

    /// A record by name.
    pub fn record(&self, name: &str) -> Option<&RecordDecl> {
        self.records.get(name)
    }

    /// An enum by name.
    pub fn enum_decl(&self, name: &str) -> Option<&EnumDecl> {
        self.enums.get(name)
    }

    /// True when every value of enum `inner` is a value of enum `outer`
    /// (the same enum, or one that includes it, directly or not).
    pub fn enum_includes(&self, outer: &str, inner: &str) -> bool {
        if outer == inner {
            return true;
        }
        let mut stack = vec![outer];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            if let Some(decl) = self.enums.get(name) {
                for included in &decl.includes {
                    if included == inner {
                        return true;
                    }
                    stack.push(included);
                }
            }
        }
        false
    }
}

/// Up to three names from `candidates` close to `name`, best first, for "did you mean".
pub fn suggestions<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let score = strsim::jaro_winkler(name, candidate);
            (score >= 0.8 || (name.len() > 3 && candidate.contains(name))).then_some((score, candidate))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, candidate)| candidate).collect()
}

/// "did you mean `x`?" for the best suggestion, if any.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    match suggestions(name, candidates).as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        [first, rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|name| format!("`{name}`")).collect();
            Some(format!("did you mean `{first}` (or {})?", rest.join(", ")))
        }
    }
}
