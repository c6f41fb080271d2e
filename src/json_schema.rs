//! The constitution format as a JSON Schema (draft-07), derived from the [`Schema`] a policy
//! set declares, for TOML editors (Taplo, "Even Better TOML") to complete, document and check
//! constitutions as they are typed.
//!
//! Draft-07 because Taplo, the engine of "Even Better TOML", validates with draft-04 to
//! draft-07 only; shared types therefore live under `definitions` (draft-07's name for
//! `$defs`), and a field that adds a description or default to a shared type wraps its `$ref`
//! in `allOf`, since draft-07 ignores the siblings of `$ref`.
//!
//! The mapping:
//! - a record is an object with `additionalProperties: false`; `required` lists the fields
//!   with neither `?` nor a default; a `table` field is a free object; an `int` field's least
//!   value (`>= N`) is its `minimum`;
//! - `percent`, `duration` and (as text) `money` are strings with a `pattern` for the
//!   officer's notation (`"75%"`, `"3 years"`, `"£663,540"`); money may also be a whole
//!   number of pounds;
//! - a `date` is a string with `format: "date"`: editors hand TOML local dates
//!   (`2018-04-01`) to the validator as such strings. JSON Schema cannot tell a TOML date
//!   from the quoted text `"2018-04-01"`, which the loader rejects; the `pattern` does reject
//!   date-times;
//! - an enum is a string from `enum`, with its values' doc comments under
//!   `x-taplo.docs.enumValues`;
//! - a `ref LIST` is a string, described as naming an element of that list by its key;
//! - a record or enum used by more than one field (or by itself) goes to `definitions`; one
//!   used once is written in place.
//!
//! The output is deterministic: object keys are sorted, `required` is sorted, enum values
//! and nothing else keep their declared order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::schema::{DefaultValue, FieldDecl, FieldType, RecordDecl, Schema};
use crate::value::{Duration, Scalar};

/// The JSON Schema dialect of the output.
pub const DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// The `$id` of the output.
pub const SCHEMA_ID: &str = "urn:trustcheck:constitution";

/// A percentage from 0% to 100%, as the loader reads it: `"75%"`, `"80.5%"`, `"100%"`.
pub const PERCENT_PATTERN: &str = r"^(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)%$";

/// Money as text: optional `£`, digits (optionally grouped in threes by commas), optional
/// pence, or a decimal with `k` or `m`: `"£663,540"`, `"£663540.10"`, `"£1.2m"`, `"£900k"`.
pub const MONEY_PATTERN: &str = r"^£?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)((\.[0-9]{1,2})?|(\.[0-9]+)?[kKmM])$";

/// A duration: a whole number and a unit, singular or plural: `"3 years"`, `"1 month"`.
pub const DURATION_PATTERN: &str = r"^[0-9]+ +(years?|months?|days?)$";

/// A calendar date as TOML writes it (`2018-04-01`): no time of day.
pub const DATE_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// A decimal number written as text: `"2.5"`.
pub const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// The JSON Schema of constitutions under `schema`, as a JSON value.
pub fn json_schema(schema: &Schema) -> Value {
    let builder = Builder::new(schema);
    let mut root = Map::new();
    root.insert("$schema".into(), json!(DIALECT));
    root.insert("$id".into(), json!(SCHEMA_ID));
    root.insert("title".into(), json!("trustcheck constitution"));
    match schema.root_record() {
        Some(decl) => {
            for (key, value) in builder.record(decl) {
                root.insert(key, value);
            }
        }
        None => {
            root.insert("type".into(), json!("object"));
        }
    }
    if !builder.shared.is_empty() {
        let mut definitions = Map::new();
        for name in &builder.shared {
            if let Some(decl) = schema.record(name) {
                definitions.insert(name.clone(), Value::Object(builder.record(decl)));
            } else if schema.enum_decl(name).is_some() {
                definitions.insert(name.clone(), Value::Object(builder.enumeration(name)));
            }
        }
        root.insert("definitions".into(), Value::Object(definitions));
    }
    sort_keys(Value::Object(root))
}

/// The JSON Schema of constitutions under `schema`: pretty JSON with a trailing newline.
pub fn render(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(&json_schema(schema)).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

struct Builder<'s> {
    schema: &'s Schema,
    /// Records and enums written once under `definitions` and referred to by `$ref`.
    shared: BTreeSet<String>,
}

impl<'s> Builder<'s> {
    fn new(schema: &'s Schema) -> Self {
        // Count how many fields of the records reachable from the root name each type.
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = schema.root_record().map(|root| &*root.name).into_iter().collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            let Some(decl) = schema.record(name) else { continue };
            for field in &decl.fields {
                match named_type(&field.ty) {
                    Some(FieldType::Record(target)) => {
                        *uses.entry(target.clone()).or_default() += 1;
                        stack.push(target);
                    }
                    Some(FieldType::Enum(target)) => *uses.entry(target.clone()).or_default() += 1,
                    _ => {}
                }
            }
        }
        let shared =
            uses.into_iter().filter(|(name, count)| *count > 1 && *name != schema.root).map(|(name, _)| name).collect();
        Builder { schema, shared }
    }

    /// A record: an object with its fields, closed to other keys.
    fn record(&self, decl: &RecordDecl) -> Map<String, Value> {
        let mut object = Map::new();
        object.insert("type".into(), json!("object"));
        if let Some(doc) = &decl.doc {
            object.insert("description".into(), json!(doc));
        }
        let mut properties = Map::new();
        for field in &decl.fields {
            properties.insert(field.name.to_string(), self.field(field));
        }
        object.insert("properties".into(), Value::Object(properties));
        let mut required: Vec<&str> =
            decl.fields.iter().filter(|field| field.is_required()).map(|field| &*field.name).collect();
        required.sort_unstable();
        if !required.is_empty() {
            object.insert("required".into(), json!(required));
        }
        object.insert("additionalProperties".into(), json!(false));
        object
    }

    /// A field: its type, with its doc comment and default.
    fn field(&self, field: &FieldDecl) -> Value {
        let mut extra = Map::new();
        let description = match (&field.doc, &field.ty) {
            (Some(doc), FieldType::Ref { .. }) => Some(format!("{doc}\n\n{}", self.ref_note(&field.ty))),
            (Some(doc), _) => Some(doc.to_string()),
            (None, _) => None,
        };
        if let Some(description) = description {
            extra.insert("description".into(), json!(description));
        }
        if let Some(default) = &field.default {
            extra.insert("default".into(), default_json(default));
        }
        if let Some(minimum) = field.minimum {
            extra.insert("minimum".into(), json!(minimum));
        }
        let mut schema = self.ty(&field.ty);
        if extra.is_empty() {
            return Value::Object(schema);
        }
        if schema.contains_key("$ref") {
            // Draft-07 ignores the siblings of `$ref`: keep them beside an `allOf`.
            extra.insert("allOf".into(), json!([Value::Object(schema)]));
            return Value::Object(extra);
        }
        schema.extend(extra);
        Value::Object(schema)
    }

    /// The schema of a type.
    fn ty(&self, ty: &FieldType) -> Map<String, Value> {
        let value = match ty {
            FieldType::Bool => json!({ "type": "boolean" }),
            FieldType::Int => json!({ "type": "integer" }),
            FieldType::Decimal => json!({
                "type": ["integer", "string"],
                "pattern": DECIMAL_PATTERN,
                "examples": ["2.5"],
            }),
            FieldType::Percent => json!({
                "type": "string",
                "pattern": PERCENT_PATTERN,
                "examples": ["75%", "80.5%"],
            }),
            FieldType::Money => json!({
                "type": ["string", "integer"],
                "pattern": MONEY_PATTERN,
                "minimum": 0,
                "examples": ["£663,540", "£663540.10", "£900k", "£1.2m"],
            }),
            FieldType::Date => json!({ "type": "string", "format": "date", "pattern": DATE_PATTERN }),
            FieldType::Duration => json!({
                "type": "string",
                "pattern": DURATION_PATTERN,
                "examples": ["3 years", "18 months", "90 days", "1 year"],
            }),
            FieldType::Text => json!({ "type": "string" }),
            FieldType::Table => json!({ "type": "object" }),
            FieldType::Ref { .. } => json!({ "type": "string", "description": self.ref_note(ty) }),
            FieldType::List { element, non_empty } => {
                let mut list = Map::new();
                list.insert("type".into(), json!("array"));
                list.insert("items".into(), Value::Object(self.ty(element)));
                if *non_empty {
                    list.insert("minItems".into(), json!(1));
                }
                Value::Object(list)
            }
            FieldType::Record(name) if *name == self.schema.root => json!({ "$ref": "#" }),
            FieldType::Record(name) | FieldType::Enum(name) if self.shared.contains(name) => {
                json!({ "$ref": format!("#/definitions/{name}") })
            }
            FieldType::Record(name) => match self.schema.record(name) {
                Some(decl) => Value::Object(self.record(decl)),
                None => json!({ "type": "object" }),
            },
            FieldType::Enum(name) => Value::Object(self.enumeration(name)),
        };
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// What a `ref` must name: "Must be the `name` of one of the `members`."
    fn ref_note(&self, ty: &FieldType) -> String {
        let FieldType::Ref { list, record } = ty else { return String::new() };
        match self.schema.record(record).and_then(|decl| decl.key.as_deref()) {
            Some(key) => format!("Must be the `{key}` of one of the `{list}`."),
            None => format!("Must name one of the `{list}`."),
        }
    }

    /// An enum: a string from its values, each with its doc comment for Taplo.
    fn enumeration(&self, name: &str) -> Map<String, Value> {
        let mut object = Map::new();
        object.insert("type".into(), json!("string"));
        let Some(decl) = self.schema.enum_decl(name) else {
            return object;
        };
        if let Some(doc) = &decl.doc {
            object.insert("description".into(), json!(doc));
        }
        let values: Vec<&str> = decl.variants.iter().map(|variant| variant.name.as_str()).collect();
        object.insert("enum".into(), json!(values));
        if decl.variants.iter().any(|variant| variant.doc.is_some()) {
            let docs: Vec<Option<&str>> = decl.variants.iter().map(|variant| variant.doc.as_deref()).collect();
            object.insert("x-taplo".into(), json!({ "docs": { "enumValues": docs } }));
        }
        object
    }
}

/// The record or enum a field's type names, looking through lists (not through `ref`s, which
/// are written as text).
fn named_type(ty: &FieldType) -> Option<&FieldType> {
    match ty {
        FieldType::Record(_) | FieldType::Enum(_) => Some(ty),
        FieldType::List { element, .. } => named_type(element),
        _ => None,
    }
}

/// A default in the constitution's own notation.
fn default_json(default: &DefaultValue) -> Value {
    match default {
        DefaultValue::EmptyList => json!([]),
        DefaultValue::EmptyRecord => json!({}),
        DefaultValue::Scalar(scalar) => match scalar {
            Scalar::Bool(value) => json!(value),
            Scalar::Int(value) => json!(value),
            Scalar::Duration(duration) => json!(duration_text(*duration)),
            Scalar::Decimal(value) => json!(value.normalize().to_string()),
            other => json!(other.to_string()),
        },
    }
}

/// A duration as the loader reads it: one number and one unit (`"3 years"`, `"18 months"`).
fn duration_text(duration: Duration) -> String {
    let plural = |count: i64, unit: &str| {
        if count == 1 { format!("1 {unit}") } else { format!("{count} {unit}s") }
    };
    match (duration.months, duration.days) {
        (0, days) => plural(days, "day"),
        (months, 0) if months % 12 == 0 => plural(months / 12, "year"),
        (months, 0) => plural(months, "month"),
        _ => duration.to_string(),
    }
}

/// The value with every object's keys in sorted order, whatever map serde_json is built with.
fn sort_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<String, Value> = map.into_iter().map(|(key, value)| (key, sort_keys(value))).collect();
            Value::Object(sorted.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}
