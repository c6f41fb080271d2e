//! `trustcheck schema --json-schema`: the constitution format as a JSON Schema (draft-07).
//!
//! The schema of the standard library is snapshotted whole; a few paths are asserted; and it
//! is checked against the constitutions of the repository: every one the loader accepts must
//! validate, and every one the loader rejects for a reason JSON Schema can express must not.

#![allow(clippy::expect_used, reason = "test helpers may panic")]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use trustcheck::cli::{Context, run_args};
use trustcheck::policy::{PolicySet, PolicySource};
use trustcheck::{CheckOptions, Input};

fn standard_schema() -> Value {
    serde_json::from_str(&trustcheck::json_schema::render(PolicySet::standard().schema())).expect("valid JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&standard_schema()).expect("the schema compiles")
}

/// A TOML document as editors hand it to a JSON Schema validator: dates become their text.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => json!(number),
        toml::Value::Float(number) => json!(number),
        toml::Value::Boolean(value) => Value::Bool(value),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(key, value)| (key, toml_to_json(value))).collect())
        }
    }
}

fn parse_toml(text: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.parse::<toml::Table>().ok().map(|table| toml_to_json(toml::Value::Table(table)))
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|error| format!("{} at {}", error, error.instance_path())).collect()
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("folder exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// The codes of the loader's diagnostics for a constitution (rule findings left out).
fn loader_codes(policies: &PolicySet, path: &Path) -> Vec<String> {
    let options = CheckOptions::as_of("2026-04-01".parse().expect("date"));
    let report = policies.check_inputs(vec![Input::read(path)], &options);
    report
        .files
        .iter()
        .flat_map(|file| &file.diagnostics)
        .filter_map(|diagnostic| diagnostic.code.builtin())
        .filter(|code| matches!(code.prefix(), "schema" | "toml"))
        .map(|code| code.to_string())
        .collect()
}

#[test]
fn standard_schema_snapshot() {
    let text = trustcheck::json_schema::render(PolicySet::standard().schema());
    assert!(text.ends_with("}\n"));
    insta::assert_snapshot!(text);
}

#[test]
fn output_is_byte_stable() {
    let first = trustcheck::json_schema::render(PolicySet::standard().schema());
    let second = trustcheck::json_schema::render(PolicySet::standard().schema());
    assert_eq!(first, second);
}

#[test]
fn standard_schema_shape() {
    let schema = standard_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["$id"], "urn:trustcheck:constitution");
    assert_eq!(schema["title"], "trustcheck constitution");
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], json!(["board", "members", "trust"]));

    let members = &schema["properties"]["members"];
    assert_eq!(members["type"], "array");
    assert_eq!(members["minItems"], 1);
    let member = &members["items"];
    assert_eq!(member["additionalProperties"], false);
    assert_eq!(member["required"], json!(["kind", "name", "voting_rights"]));
    assert_eq!(member["properties"]["capital"]["default"], "0%");
    assert_eq!(member["properties"]["voting_rights"]["type"], "string");
    assert_eq!(
        member["properties"]["voting_rights"]["description"],
        "Share of votes at general meetings; members' rights must sum to 100%."
    );
    assert_eq!(member["properties"]["kind"]["enum"][0], "local_authority");

    // `table`: a free object.
    assert_eq!(
        schema["properties"]["notes"],
        json!({
            "description": "Free notes for the officer's own remarks, never read by the rules.",
            "type": "object"
        })
    );

    // Defaults in the constitution's notation; a record with `= {}` is not required.
    let contract = &schema["properties"]["contracts"]["items"];
    assert_eq!(schema["properties"]["contracts"]["default"], json!([]));
    assert_eq!(contract["properties"]["extension"]["default"], "0 days");
    assert_eq!(contract["properties"]["awarded_on"]["format"], "date");
    assert_eq!(contract["properties"]["annual_value"]["type"], json!(["string", "integer"]));
    assert_eq!(schema["properties"]["control"]["default"], json!({}));
    assert_eq!(schema["properties"]["trust"]["properties"]["profit_distribution"]["default"], "none");

    // Enum value docs for Taplo, in declared order.
    let profits = &schema["properties"]["trust"]["properties"]["profit_distribution"];
    assert_eq!(profits["enum"], json!(["none", "reinvested", "members_only", "participatory", "unrestricted"]));
    assert_eq!(profits["x-taplo"]["docs"]["enumValues"][0], "No distribution of profits.");

    // `ref members`: text naming a member.
    let seat = &schema["properties"]["board"]["properties"]["seats"]["items"];
    assert_eq!(seat["properties"]["member"]["type"], "string");
    assert!(
        seat["properties"]["member"]["description"]
            .as_str()
            .expect("text")
            .ends_with("Must be the `name` of one of the `members`.")
    );
    assert_eq!(seat["properties"]["represents"]["items"]["type"], "string");
    // `count: int >= 1`.
    assert_eq!(seat["properties"]["count"]["type"], "integer");
    assert_eq!(seat["properties"]["count"]["minimum"], 1);

    // Types used by several fields are shared; a field adding a description wraps the `$ref`.
    assert_eq!(
        seat["properties"]["appointed_by"],
        json!({
            "allOf": [{ "$ref": "#/definitions/Appointer" }],
            "description": "Who appoints them."
        })
    );
    assert_eq!(schema["definitions"]["Appointer"]["enum"][0], "member");
    let scope = &schema["properties"]["scope"]["properties"];
    assert_eq!(scope["delegated"]["items"], json!({ "$ref": "#/definitions/Function" }));
    let functions = schema["definitions"]["Function"]["enum"].as_array().expect("values");
    assert!(functions.contains(&json!("fostering")) && functions.contains(&json!("lead_member")));
}

#[test]
fn notations_follow_the_loader() {
    let schema = standard_schema();
    let member = &schema["properties"]["members"]["items"]["properties"];
    let contract = &schema["properties"]["contracts"]["items"]["properties"];
    let check =
        |property: &Value, value: Value| jsonschema::validator_for(property).expect("compiles").is_valid(&value);
    for good in ["75%", "80.5%", "0%", "100%", "100.00%", "33.333%"] {
        assert!(check(&member["voting_rights"], json!(good)), "{good}");
    }
    for bad in ["75", "101%", "100.5%", "-5%", "75 percent"] {
        assert!(!check(&member["voting_rights"], json!(bad)), "{bad}");
    }
    assert!(!check(&member["voting_rights"], json!(75)));
    for good in [
        json!("£663,540"),
        json!("£663540.10"),
        json!("£1.2m"),
        json!("£272m"),
        json!("£900k"),
        json!("663540"),
        json!(663540),
    ] {
        assert!(check(&contract["annual_value"], good.clone()), "{good}");
    }
    for bad in [json!("£66,35,40"), json!("£663540.105"), json!(-5), json!(663540.1), json!("£ 5")] {
        assert!(!check(&contract["annual_value"], bad.clone()), "{bad}");
    }
    for good in ["3 years", "1 year", "18 months", "1 month", "90 days", "1 day", "0 days"] {
        assert!(check(&contract["initial_term"], json!(good)), "{good}");
    }
    for bad in ["3", "3 yrs", "5 years + 2 years", "2.5 years", "three years"] {
        assert!(!check(&contract["initial_term"], json!(bad)), "{bad}");
    }
    assert!(check(&contract["start"], json!("2018-04-01")));
    assert!(!check(&contract["start"], json!("2018-04-01T10:00:00")));
}

#[test]
fn loader_accepted_constitutions_validate() {
    let policies = PolicySet::standard();
    let validator = validator();
    let mut checked = 0;
    for path in toml_files("examples").into_iter().chain(toml_files("tests/cases")) {
        if !loader_codes(&policies, &path).is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let instance = parse_toml(&text).expect("the loader accepted it, so it is TOML");
        let errors = errors(&validator, &instance);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} constitutions checked");
}

#[test]
fn every_example_validates() {
    let validator = validator();
    for path in toml_files("examples") {
        let text = std::fs::read_to_string(&path).expect("readable");
        let instance = parse_toml(&text).expect("TOML");
        let errors = errors(&validator, &instance);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn loader_rejections_the_schema_can_express_are_invalid() {
    // Duplicate keys and references to unknown members need the whole document: JSON Schema
    // cannot express them, so those codes are not expected to be caught.
    const EXPRESSIBLE: &[&str] =
        &["schema.unknown_field", "schema.missing_field", "schema.type", "schema.range", "schema.unknown_variant"];
    let policies = PolicySet::standard();
    let validator = validator();
    let mut checked = 0;
    for path in toml_files("tests/cases") {
        let codes = loader_codes(&policies, &path);
        if !codes.iter().any(|code| EXPRESSIBLE.contains(&code.as_str())) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let instance = parse_toml(&text).expect("TOML");
        assert!(validator.iter_errors(&instance).next().is_some(), "{} ({codes:?}) validates", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} rejected constitutions checked");
}

/// Runs the CLI in-process in `cwd`: (exit code, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (u8, String, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut context = Context::new(cwd, &mut stdout, &mut stderr);
    let code = run_args(std::iter::once("trustcheck").chain(args.iter().copied()), &mut context);
    (code, String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

#[test]
fn cli_writes_the_schema_of_the_chosen_policy_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = run_in(dir.path(), &["schema", "--json-schema"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, trustcheck::json_schema::render(PolicySet::standard().schema()));

    // A council's extension shows up, with `--policy std` keeping the standard library.
    let extension = "extend record Contract {\n  /// The council's cost centre.\n  cost_centre: text?\n}\n\
                     extend enum Service { /// Libraries.\n libraries }\n";
    std::fs::write(dir.path().join("local.policy"), extension).expect("write");
    let (code, stdout, _) =
        run_in(dir.path(), &["schema", "--json-schema", "--policy", "std", "--policy", "local.policy"]);
    assert_eq!(code, 0);
    let schema: Value = serde_json::from_str(&stdout).expect("JSON");
    let contract = &schema["properties"]["contracts"]["items"];
    assert_eq!(contract["properties"]["cost_centre"]["description"], "The council's cost centre.");
    assert!(
        contract["properties"]["services"]["items"]["enum"].as_array().expect("values").contains(&json!("libraries"))
    );

    // The same set through the library.
    let set = PolicySet::from_sources(vec![
        PolicySource::Standard,
        PolicySource::File(Input::from_text("local.policy", extension)),
    ]);
    assert_eq!(stdout, trustcheck::json_schema::render(set.schema()));
}

#[test]
fn cli_refuses_an_invalid_policy_set_and_needs_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("broken.policy"), "record {").expect("write");
    let (code, stdout, stderr) = run_in(dir.path(), &["schema", "--json-schema", "--policy", "broken.policy"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("policy.syntax"), "{stderr}");

    let (code, _, stderr) = run_in(dir.path(), &["schema"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--json-schema"), "{stderr}");
}

#[test]
fn a_schema_without_records_is_an_empty_object() {
    let schema = trustcheck::json_schema::json_schema(&trustcheck::schema::Schema::default());
    assert_eq!(
        schema,
        json!({
            "$id": "urn:trustcheck:constitution",
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "trustcheck constitution",
            "type": "object"
        })
    );
}
