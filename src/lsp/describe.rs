//! Schema look-ups by key path, and the Markdown that hover and completion show for fields,
//! enum values and rules.

use crate::report::RuleInfo;
use crate::schema::{DefaultValue, EnumDecl, FieldDecl, FieldType, RecordDecl, Schema, VariantDecl};

/// A field and the record that declares it.
#[derive(Clone, Copy, Debug)]
pub struct FieldAt<'s> {
    /// The record.
    pub record: &'s RecordDecl,
    /// The field.
    pub field: &'s FieldDecl,
}

impl FieldAt<'_> {
    /// True for the `rule` field of a waiver, whose value is a rule id.
    pub fn is_rule_id(&self) -> bool {
        &*self.record.name == "Waiver" && &*self.field.name == "rule"
    }
}

/// The record of a TOML table: a record type, or a list of them (`ref`s are strings there).
pub fn table_record<'s>(schema: &'s Schema, ty: &FieldType) -> Option<&'s RecordDecl> {
    match ty {
        FieldType::Record(name) => schema.record(name),
        FieldType::List { element, .. } => table_record(schema, element),
        _ => None,
    }
}

/// The record a policy expression of this type navigates to: a record, a list of them, or
/// the record a `ref` names.
pub fn navigated_record<'s>(schema: &'s Schema, ty: &FieldType) -> Option<&'s RecordDecl> {
    match ty {
        FieldType::Ref { record, .. } => schema.record(record),
        FieldType::List { element, .. } => navigated_record(schema, element),
        other => table_record(schema, other),
    }
}

/// The record a table path of a constitution leads to (the root record for `[]`).
pub fn record_at<'s>(schema: &'s Schema, path: &[String]) -> Option<&'s RecordDecl> {
    let mut record = schema.root_record()?;
    for segment in path {
        record = table_record(schema, &record.field(segment)?.ty)?;
    }
    Some(record)
}

/// The field a key path of a constitution names.
pub fn field_at<'s>(schema: &'s Schema, path: &[String]) -> Option<FieldAt<'s>> {
    let (last, init) = path.split_last()?;
    let record = record_at(schema, init)?;
    Some(FieldAt { record, field: record.field(last)? })
}

/// The enum of a field's values (directly or as list elements).
pub fn enum_of<'s>(schema: &'s Schema, ty: &FieldType) -> Option<&'s EnumDecl> {
    match ty {
        FieldType::Enum(name) => schema.enum_decl(name),
        FieldType::List { element, .. } => enum_of(schema, element),
        _ => None,
    }
}

/// The declaration of a field as the policy language writes it (`capital: percent = 0%`).
pub fn declaration(field: &FieldDecl) -> String {
    let mut text = format!("{}: {}", field.name, field.ty.describe());
    if field.optional {
        text.push('?');
    }
    match &field.default {
        Some(DefaultValue::Scalar(value)) => text.push_str(&format!(" = {value}")),
        Some(DefaultValue::EmptyList) => text.push_str(" = []"),
        Some(DefaultValue::EmptyRecord) => text.push_str(" = {}"),
        None => {}
    }
    text
}

/// A field's hover text: its declaration, doc, record, and the values of its enum.
pub fn field_markdown(schema: &Schema, at: FieldAt<'_>) -> String {
    let mut text = format!("```\n{}\n```\n", declaration(at.field));
    if let Some(doc) = &at.field.doc {
        text.push_str(&format!("\n{}\n", doc.trim()));
    }
    let status = if at.field.is_required() { "required" } else { "may be left out" };
    text.push_str(&format!("\nField of `{}`; {status}.\n", at.record.name));
    if let Some(decl) = enum_of(schema, &at.field.ty) {
        let values: Vec<String> = decl.variants.iter().map(|variant| format!("`{}`", variant.name)).collect();
        text.push_str(&format!("\nValues: {}\n", values.join(", ")));
    }
    if at.is_rule_id() {
        text.push_str("\nA rule id of the policy set (`POLICY.RULE`).\n");
    }
    text
}

/// An enum value's hover text.
pub fn variant_markdown(decl: &EnumDecl, variant: &VariantDecl) -> String {
    let mut text = format!("```\n{}.{}\n```\n", decl.name, variant.name);
    if let Some(doc) = variant.doc.as_ref().or(decl.doc.as_ref()) {
        text.push_str(&format!("\n{}\n", doc.trim()));
    }
    text
}

/// A rule's hover text: id, severity and status, title, doc and citations with their links
/// and the date their text was last verified.
pub fn rule_markdown(rule: &RuleInfo) -> String {
    let mut text = format!("**{}** ({}, {})\n\n{}\n", rule.id, rule.severity.as_str(), rule.status.words(), rule.title);
    if let Some(doc) = &rule.doc {
        text.push_str(&format!("\n{}\n", doc.trim()));
    }
    if !rule.citations.is_empty() {
        text.push_str("\nCites:\n");
        for citation in &rule.citations {
            let verified = citation.verified.map(|date| format!(" (text verified {date})")).unwrap_or_default();
            match &citation.url {
                Some(url) => text.push_str(&format!("- [{}]({url}){verified}\n", citation.text)),
                None => text.push_str(&format!("- {}{verified}\n", citation.text)),
            }
        }
    }
    text
}
