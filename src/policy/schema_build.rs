//! Builds the [`Schema`] from the `record`, `enum`, `root` and `extend` declarations of every
//! policy file, reporting unknown types, redefinitions and bad defaults.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::schema::{DefaultValue, EnumDecl, FieldDecl, FieldType, RecordDecl, Schema, VariantDecl, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, DefaultExpr, Literal, TypeExpr};
use crate::value::Scalar;

/// The names of the declared enums and records, so that a field's type resolves in one step.
struct TypeNames {
    enums: BTreeSet<String>,
    records: BTreeSet<String>,
}

const BUILTIN_TYPES: &[&str] = &["bool", "int", "decimal", "percent", "money", "date", "duration", "text", "table"];

/// Builds the schema declared across `files`; problems are pushed onto `errors`.
pub fn build_schema(files: &[ast::File], errors: &mut Vec<Diagnostic>) -> Schema {
    let mut records: Vec<&ast::RecordDecl> = Vec::new();
    let mut extensions: Vec<&ast::RecordDecl> = Vec::new();
    let mut enums: Vec<&ast::EnumDecl> = Vec::new();
    let mut enum_extensions: Vec<&ast::EnumDecl> = Vec::new();
    let mut roots: Vec<&ast::Ident> = Vec::new();
    for item in files.iter().flat_map(|file| &file.items) {
        match item {
            ast::Item::Record(record) if record.extend => extensions.push(record),
            ast::Item::Record(record) => records.push(record),
            ast::Item::Enum(decl) if decl.extend => enum_extensions.push(decl),
            ast::Item::Enum(decl) => enums.push(decl),
            ast::Item::Root(ident) => roots.push(ident),
            ast::Item::Let(_) | ast::Item::Table(_) | ast::Item::Criterion(_) | ast::Item::Policy(_) => {}
        }
    }
    let mut schema = Schema::default();
    let mut declared: BTreeMap<String, Span> = BTreeMap::new();
    for name in records.iter().map(|r| &r.name).chain(enums.iter().map(|e| &e.name)) {
        if let Some(first) = declared.get(&name.name) {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyDuplicateDefinition,
                    format!("`{}` is defined more than once", name.name),
                    Some(name.span),
                )
                .with_label(*first, "first defined here")
                .with_help("rename one of them, or use `extend record` / `extend enum` to add to the first"),
            );
        } else {
            declared.insert(name.name.clone(), name.span);
        }
    }
    build_enums(&mut schema, &enums, &enum_extensions, errors);
    match roots.as_slice() {
        [] if !records.is_empty() => errors.push(
            Diagnostic::new(
                BuiltinCode::PolicyUnknownName,
                "the policy set declares records but no `root`",
                records.first().map(|record| record.name.span),
            )
            .with_help("say which record a constitution is, for example `root Constitution`"),
        ),
        [] => {}
        [root, rest @ ..] => {
            schema.root = root.name.clone();
            for extra in rest {
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyDuplicateDefinition,
                        "the policy set declares more than one `root`",
                        Some(extra.span),
                    )
                    .with_label(root.span, "first declared here"),
                );
            }
        }
    }
    let type_names = TypeNames {
        enums: schema.enums.keys().cloned().collect(),
        records: records.iter().map(|record| record.name.name.clone()).collect(),
    };
    for record in &records {
        if schema.records.contains_key(&record.name.name) {
            continue;
        }
        let fields = record.fields.iter().filter_map(|field| build_field(field, &type_names, errors)).collect();
        let decl = RecordDecl {
            name: record.name.name.as_str().into(),
            fields,
            key: None,
            doc: record.doc.clone().map(Into::into),
            span: record.name.span,
        };
        schema.records.insert(record.name.name.clone(), decl);
    }
    if !schema.root.is_empty() && !schema.records.contains_key(&schema.root) {
        if let Some(root) = roots.first() {
            let known = schema.records.keys().map(String::as_str);
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyUnknownName,
                    format!("no record named `{}`", root.name),
                    Some(root.span),
                )
                .with_optional_help(did_you_mean(&root.name, known)),
            );
        }
    }
    for extension in &extensions {
        extend_record(&mut schema, extension, &type_names, errors);
    }
    for record in records.iter().chain(&extensions) {
        set_key(&mut schema, record, errors);
    }
    resolve_refs_and_defaults(&mut schema, &records, &extensions, errors);
    check_empty_record_defaults(&schema, errors);
    schema
}

/// The records a record's `= {}` defaults fill in when its table is left out.
fn defaulted_records(record: &RecordDecl) -> impl Iterator<Item = (&FieldDecl, &str)> {
    record.fields.iter().filter_map(|field| match (&field.default, &field.ty) {
        (Some(DefaultValue::EmptyRecord), FieldType::Record(name)) => Some((field, name.as_str())),
        _ => None,
    })
}

/// True when filling in `from` by its `= {}` defaults comes back to `target`.
fn defaults_reach(schema: &Schema, from: &str, target: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(name) = stack.pop() {
        if name == target {
            return true;
        }
        if seen.insert(name) {
            stack.extend(schema.record(name).into_iter().flat_map(defaulted_records).map(|(_, next)| next));
        }
    }
    false
}

/// `= {}` stands for a table left out, so the record it names must have no required field,
/// and must not come back, through further `= {}` defaults, to the record that holds it (an
/// endless table).
fn check_empty_record_defaults(schema: &Schema, errors: &mut Vec<Diagnostic>) {
    for record in schema.records.values() {
        for (field, name) in defaulted_records(record) {
            if defaults_reach(schema, name, &record.name) {
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyType,
                        format!(
                            "`{}` defaults to `{{}}`, which would make a `{}` inside itself without end",
                            field.name, record.name
                        ),
                        Some(field.span),
                    )
                    .with_help("make the field optional (`?`) instead of defaulting it to `{}`"),
                );
            }
        }
    }
    for field in schema.records.values().flat_map(|record| &record.fields) {
        let (Some(DefaultValue::EmptyRecord), FieldType::Record(name)) = (&field.default, &field.ty) else { continue };
        let required: Vec<&str> = schema
            .record(name)
            .map(|record| record.fields.iter().filter(|f| f.is_required()).map(|f| &*f.name).collect())
            .unwrap_or_default();
        if !required.is_empty() {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyType,
                    format!(
                        "`{}` defaults to `{{}}`, but a `{name}` has required fields: {}",
                        field.name,
                        required.join(", ")
                    ),
                    Some(field.span),
                )
                .with_help("make those fields optional or give them defaults, or remove the default"),
            );
        }
    }
}

fn build_enums(
    schema: &mut Schema,
    enums: &[&ast::EnumDecl],
    extensions: &[&ast::EnumDecl],
    errors: &mut Vec<Diagnostic>,
) {
    let by_name: BTreeMap<&str, &ast::EnumDecl> = enums.iter().map(|decl| (decl.name.name.as_str(), *decl)).collect();
    for decl in enums {
        if schema.enums.contains_key(&decl.name.name) {
            continue;
        }
        let mut variants: Vec<VariantDecl> = Vec::new();
        let mut stack = vec![decl.name.name.as_str()];
        collect_variants(decl, &by_name, &mut stack, &mut variants, errors);
        let includes = decl.includes.iter().map(|ident| ident.name.clone()).collect();
        schema.enums.insert(
            decl.name.name.clone(),
            EnumDecl {
                name: decl.name.name.clone(),
                variants,
                includes,
                doc: decl.doc.clone().map(Into::into),
                span: decl.name.span,
            },
        );
    }
    for extension in extensions {
        let Some(target) = schema.enums.get_mut(&extension.name.name) else {
            let known: Vec<&str> = by_name.keys().copied().collect();
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyUnknownName,
                    format!("no enum named `{}` to extend", extension.name.name),
                    Some(extension.name.span),
                )
                .with_optional_help(did_you_mean(&extension.name.name, known)),
            );
            continue;
        };
        for variant in &extension.variants {
            push_variant(&mut target.variants, variant, errors);
        }
    }
    // Enums that include an extended enum see its new values too.
    let names: Vec<String> = schema.enums.keys().cloned().collect();
    for name in names {
        let mut all: Vec<VariantDecl> = Vec::new();
        let includes = schema.enums.get(&name).map(|decl| decl.includes.clone()).unwrap_or_default();
        for included in includes {
            if let Some(decl) = schema.enums.get(&included) {
                for variant in &decl.variants {
                    if !all.iter().any(|v| v.name == variant.name) {
                        all.push(variant.clone());
                    }
                }
            }
        }
        if let Some(decl) = schema.enums.get_mut(&name) {
            for variant in &decl.variants {
                if !all.iter().any(|v| v.name == variant.name) {
                    all.push(variant.clone());
                }
            }
            decl.variants = all;
        }
    }
}

fn collect_variants<'a>(
    decl: &'a ast::EnumDecl,
    by_name: &BTreeMap<&str, &'a ast::EnumDecl>,
    stack: &mut Vec<&'a str>,
    variants: &mut Vec<VariantDecl>,
    errors: &mut Vec<Diagnostic>,
) {
    for included in &decl.includes {
        if stack.contains(&included.name.as_str()) {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyType,
                format!("enum `{}` includes itself through `{}`", decl.name.name, included.name),
                Some(included.span),
            ));
            continue;
        }
        match by_name.get(included.name.as_str()) {
            Some(inner) => {
                stack.push(&included.name);
                collect_variants(inner, by_name, stack, variants, errors);
                stack.pop();
            }
            None => errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyUnknownName,
                    format!("no enum named `{}`", included.name),
                    Some(included.span),
                )
                .with_optional_help(did_you_mean(&included.name, by_name.keys().copied())),
            ),
        }
    }
    for variant in &decl.variants {
        if !variants.iter().any(|v| v.name == variant.name.name) {
            variants.push(VariantDecl {
                name: variant.name.name.clone(),
                doc: variant.doc.clone().map(Into::into),
                span: variant.name.span,
            });
        } else if stack.len() == 1 {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyDuplicateDefinition,
                format!("`{}` is listed twice", variant.name.name),
                Some(variant.name.span),
            ));
        }
    }
}

fn push_variant(variants: &mut Vec<VariantDecl>, variant: &ast::Variant, errors: &mut Vec<Diagnostic>) {
    if let Some(first) = variants.iter().find(|v| v.name == variant.name.name) {
        errors.push(
            Diagnostic::new(
                BuiltinCode::PolicyDuplicateDefinition,
                format!("`{}` is already a value of this enum", variant.name.name),
                Some(variant.name.span),
            )
            .with_label(first.span, "declared here"),
        );
    } else {
        variants.push(VariantDecl {
            name: variant.name.name.clone(),
            doc: variant.doc.clone().map(Into::into),
            span: variant.name.span,
        });
    }
}

fn build_field(field: &ast::FieldDecl, type_names: &TypeNames, errors: &mut Vec<Diagnostic>) -> Option<FieldDecl> {
    let ty = field_type(&field.ty, type_names, errors)?;
    if let (Some((_, span)), false) = (field.minimum, ty == FieldType::Int) {
        errors.push(
            Diagnostic::new(BuiltinCode::PolicyType, "a least value (`>= N`) applies only to `int` fields", Some(span))
                .with_help("remove it, or make the field an `int`"),
        );
    }
    Some(FieldDecl {
        name: field.name.name.as_str().into(),
        ty,
        optional: field.optional,
        default: None,
        minimum: field.minimum.map(|(value, _)| value),
        doc: field.doc.clone().map(Into::into),
        span: field.name.span,
    })
}

fn field_type(ty: &TypeExpr, type_names: &TypeNames, errors: &mut Vec<Diagnostic>) -> Option<FieldType> {
    match ty {
        TypeExpr::Named(ident) => match ident.name.as_str() {
            "bool" => Some(FieldType::Bool),
            "int" => Some(FieldType::Int),
            "decimal" => Some(FieldType::Decimal),
            "percent" => Some(FieldType::Percent),
            "money" => Some(FieldType::Money),
            "date" => Some(FieldType::Date),
            "duration" => Some(FieldType::Duration),
            "text" => Some(FieldType::Text),
            "table" => Some(FieldType::Table),
            name if type_names.enums.contains(name) => Some(FieldType::Enum(name.to_owned())),
            name if type_names.records.contains(name) => Some(FieldType::Record(name.to_owned())),
            name => {
                let candidates = BUILTIN_TYPES
                    .iter()
                    .copied()
                    .chain(type_names.records.iter().chain(&type_names.enums).map(String::as_str));
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyUnknownName,
                        format!("no type named `{name}`"),
                        Some(ident.span),
                    )
                    .with_optional_help(did_you_mean(name, candidates)),
                );
                None
            }
        },
        TypeExpr::List { element, non_empty, .. } => {
            Some(FieldType::List { element: Box::new(field_type(element, type_names, errors)?), non_empty: *non_empty })
        }
        TypeExpr::Ref(list) => Some(FieldType::Ref { list: list.name.clone(), record: String::new() }),
    }
}

fn extend_record(
    schema: &mut Schema,
    extension: &ast::RecordDecl,
    type_names: &TypeNames,
    errors: &mut Vec<Diagnostic>,
) {
    if !schema.records.contains_key(&extension.name.name) {
        let known = schema.records.keys().map(String::as_str);
        errors.push(
            Diagnostic::new(
                BuiltinCode::PolicyUnknownName,
                format!("no record named `{}` to extend", extension.name.name),
                Some(extension.name.span),
            )
            .with_optional_help(did_you_mean(&extension.name.name, known)),
        );
        return;
    }
    for field in &extension.fields {
        if !field.optional && field.default.is_none() {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyType,
                    format!(
                        "a field added by `extend record` must be optional or have a default: `{}`",
                        field.name.name
                    ),
                    Some(field.name.span),
                )
                .with_help(format!(
                    "write `{}: …?` or give it a default with `= value`, so existing constitutions stay valid",
                    field.name.name
                )),
            );
            continue;
        }
        let Some(built) = build_field(field, type_names, errors) else { continue };
        let Some(record) = schema.records.get_mut(&extension.name.name) else { continue };
        if let Some(existing) = record.field(&field.name.name) {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyDuplicateDefinition,
                    format!("`{}` already has a field `{}`", record.name, field.name.name),
                    Some(field.name.span),
                )
                .with_label(existing.span, "declared here"),
            );
            continue;
        }
        record.fields.push(built);
    }
}

fn set_key(schema: &mut Schema, record: &ast::RecordDecl, errors: &mut Vec<Diagnostic>) {
    for field in record.fields.iter().filter(|field| field.key) {
        let Some(decl) = schema.records.get_mut(&record.name.name) else { continue };
        if let Some(existing) = &decl.key {
            if existing != &field.name.name {
                errors.push(Diagnostic::new(
                    BuiltinCode::PolicyDuplicateDefinition,
                    format!("`{}` already has a key field, `{existing}`", decl.name),
                    Some(field.name.span),
                ));
            }
            continue;
        }
        decl.key = Some(field.name.name.clone());
    }
}

fn resolve_refs_and_defaults(
    schema: &mut Schema,
    records: &[&ast::RecordDecl],
    extensions: &[&ast::RecordDecl],
    errors: &mut Vec<Diagnostic>,
) {
    let root_lists: BTreeMap<String, String> = schema
        .root_record()
        .map(|root| {
            root.fields
                .iter()
                .filter_map(|field| match &field.ty {
                    FieldType::List { element, .. } => match element.as_ref() {
                        FieldType::Record(record) => Some((field.name.to_string(), record.clone())),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let keyed: BTreeMap<String, bool> =
        schema.records.iter().map(|(name, decl)| (name.clone(), decl.key.is_some())).collect();
    for record in records.iter().chain(extensions) {
        let Some(decl) = schema.records.get_mut(&record.name.name) else { continue };
        for ast_field in &record.fields {
            let Some(field) =
                decl.fields.iter_mut().find(|f| *f.name == *ast_field.name.name && f.span == ast_field.name.span)
            else {
                continue;
            };
            resolve_ref(&mut field.ty, &root_lists, &keyed, ast_field, errors);
            if let Some(default) = &ast_field.default {
                field.default = check_default(default, &field.ty, &schema.enums, errors);
                check_default_fits(default, field, errors);
            }
        }
    }
}

fn resolve_ref(
    ty: &mut FieldType,
    root_lists: &BTreeMap<String, String>,
    keyed: &BTreeMap<String, bool>,
    field: &ast::FieldDecl,
    errors: &mut Vec<Diagnostic>,
) {
    match ty {
        FieldType::List { element, .. } => resolve_ref(element, root_lists, keyed, field, errors),
        FieldType::Ref { list, record } => match root_lists.get(list.as_str()) {
            Some(target) if keyed.get(target).copied().unwrap_or(false) => *record = target.clone(),
            Some(target) => errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyType,
                    format!("`ref {list}` needs `{target}` to mark one field as its `key`"),
                    Some(field.ty.span()),
                )
                .with_help(format!("mark the field that names a `{target}` with `key`, for example `key name: text`")),
            ),
            None => errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyUnknownName,
                    format!("`{list}` is not a list of records in the root record"),
                    Some(field.ty.span()),
                )
                .with_optional_help(did_you_mean(list, root_lists.keys().map(String::as_str))),
            ),
        },
        _ => {}
    }
}

fn check_default(
    default: &DefaultExpr,
    ty: &FieldType,
    enums: &BTreeMap<String, EnumDecl>,
    errors: &mut Vec<Diagnostic>,
) -> Option<DefaultValue> {
    let value = match (default, ty) {
        (DefaultExpr::EmptyList(_), FieldType::List { non_empty: false, .. }) => Some(DefaultValue::EmptyList),
        (DefaultExpr::EmptyRecord(_), FieldType::Record(_)) => Some(DefaultValue::EmptyRecord),
        (DefaultExpr::Name(ident), FieldType::Enum(name)) => {
            let decl = enums.get(name)?;
            if decl.has(&ident.name) {
                Some(DefaultValue::Scalar(Scalar::Enum(ident.name.as_str().into())))
            } else {
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyUnknownName,
                        format!("`{}` is not a value of `{name}`", ident.name),
                        Some(ident.span),
                    )
                    .with_optional_help(did_you_mean(&ident.name, decl.variants.iter().map(|v| v.name.as_str()))),
                );
                return None;
            }
        }
        (DefaultExpr::Literal(literal, _), _) => literal_default(literal, ty),
        _ => None,
    };
    if value.is_none() {
        errors.push(Diagnostic::new(
            BuiltinCode::PolicyType,
            format!("this default does not fit a field of type `{}`", ty.describe()),
            Some(default.span()),
        ));
    }
    value
}

/// A default must satisfy the field's least value.
fn check_default_fits(default: &DefaultExpr, field: &FieldDecl, errors: &mut Vec<Diagnostic>) {
    match (&field.default, field.minimum) {
        (Some(DefaultValue::Scalar(Scalar::Int(value))), Some(minimum)) if *value < minimum => {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyType,
                format!("the default {value} is below the field's least value, {minimum}"),
                Some(default.span()),
            ));
        }
        _ => {}
    }
}

fn literal_default(literal: &Literal, ty: &FieldType) -> Option<DefaultValue> {
    let fits = match (literal, ty) {
        (Scalar::Int(value), FieldType::Decimal) => {
            return Some(DefaultValue::Scalar(Scalar::Decimal((*value).into())));
        }
        (Scalar::Bool(_), FieldType::Bool)
        | (Scalar::Int(_), FieldType::Int)
        | (Scalar::Decimal(_), FieldType::Decimal)
        | (Scalar::Percent(_), FieldType::Percent)
        | (Scalar::Money(_), FieldType::Money)
        | (Scalar::Date(_), FieldType::Date)
        | (Scalar::Duration(_), FieldType::Duration)
        | (Scalar::Text(_), FieldType::Text) => true,
        _ => false,
    };
    fits.then(|| DefaultValue::Scalar(literal.clone()))
}
