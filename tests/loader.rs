//! Tests of the constitution loader: each engine code it gives (message, help and the
//! exact text underlined), defaults and absent facts with their spans, line endings and
//! byte-order marks, and inputs that must never panic.

use std::sync::{Arc, OnceLock};

use rust_decimal::Decimal;
use trustcheck::PolicySet;
use trustcheck::document::{Document, Field, NodeKind, Provenance, Record};
use trustcheck::loader::{Loaded, load};
use trustcheck::report::Diagnostic;
use trustcheck::schema::{DefaultValue, EnumDecl, FieldDecl, FieldType, RecordDecl, Schema, VariantDecl};
use trustcheck::source::{FileId, Origin, SourceMap, Span};
use trustcheck::value::{Duration, Scalar};

// ---------------------------------------------------------------------------------------
// The schema: the standard one when the policy compiler builds it, else a fixture that
// mirrors `policies/schema.policy`.

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let standard = PolicySet::standard();
        if standard.schema().root_record().is_some() { standard.schema().clone() } else { fixture() }
    })
}

fn decl(name: &str, ty: FieldType, optional: bool, default: Option<DefaultValue>) -> FieldDecl {
    FieldDecl { name: name.into(), ty, optional, default, minimum: None, doc: None, span: Span::default() }
}
fn req(name: &str, ty: FieldType) -> FieldDecl {
    decl(name, ty, false, None)
}
fn opt(name: &str, ty: FieldType) -> FieldDecl {
    decl(name, ty, true, None)
}
fn def(name: &str, ty: FieldType, default: DefaultValue) -> FieldDecl {
    decl(name, ty, false, Some(default))
}
fn doc(mut field: FieldDecl, text: &str) -> FieldDecl {
    field.doc = Some(text.to_owned().into());
    field
}
fn record(name: &str) -> FieldType {
    FieldType::Record(name.into())
}
fn enumeration(name: &str) -> FieldType {
    FieldType::Enum(name.into())
}
fn list(element: FieldType) -> FieldType {
    FieldType::List { element: Box::new(element), non_empty: false }
}
fn members_ref() -> FieldType {
    FieldType::Ref { list: "members".into(), record: "Member".into() }
}
fn no() -> DefaultValue {
    DefaultValue::Scalar(Scalar::Bool(false))
}
fn empty() -> DefaultValue {
    DefaultValue::EmptyList
}
fn variant(name: &str) -> DefaultValue {
    DefaultValue::Scalar(Scalar::Enum(name.into()))
}

fn fixture() -> Schema {
    use FieldType::{Bool, Date, Duration as Dur, Int, Money, Percent, Table, Text};
    let mut schema = Schema { root: "Constitution".into(), ..Schema::default() };
    let mut add_record = |name: &str, key: Option<&str>, fields: Vec<FieldDecl>| {
        let decl = RecordDecl { name: name.into(), fields, key: key.map(Into::into), doc: None, span: Span::default() };
        schema.records.insert(name.into(), decl);
    };
    let members = FieldType::List { element: Box::new(record("Member")), non_empty: true };
    add_record(
        "Constitution",
        None,
        vec![
            doc(req("trust", record("Trust")), "The vehicle itself."),
            req("members", members),
            req("board", record("Board")),
            def("control", record("Control"), DefaultValue::EmptyRecord),
            def("asset_lock", record("AssetLock"), DefaultValue::EmptyRecord),
            def("activities", record("Activities"), DefaultValue::EmptyRecord),
            def("contracts", list(record("Contract")), empty()),
            def("staff", record("Staff"), DefaultValue::EmptyRecord),
            def("scope", record("Scope"), DefaultValue::EmptyRecord),
            def("support", list(record("Support")), empty()),
            def("waivers", list(record("Waiver")), empty()),
            opt("notes", Table),
        ],
    );
    add_record(
        "Trust",
        None,
        vec![
            req("name", Text),
            req("legal_form", enumeration("LegalForm")),
            def("community_interest_company", Bool, no()),
            def("charity", Bool, no()),
            opt("community_interest_statement", Text),
            def("objects", list(Text), empty()),
            def("political_objects", Bool, no()),
            def("benefits_only_employees", Bool, no()),
            def("profit_distribution", enumeration("ProfitDistribution"), variant("none")),
            opt("shadow_from", Date),
            doc(req("operational_from", Date), "The date the vehicle takes over the services."),
        ],
    );
    add_record(
        "Member",
        Some("name"),
        vec![
            req("name", Text),
            req("kind", enumeration("MemberKind")),
            req("voting_rights", Percent),
            def("capital", Percent, DefaultValue::Scalar(Scalar::Percent(Decimal::ZERO))),
        ],
    );
    add_record(
        "Board",
        None,
        vec![
            req("chair_appointed_by", enumeration("Appointer")),
            def("seats", list(record("Seat")), empty()),
            def("conflicts_procedure", Bool, no()),
        ],
    );
    add_record(
        "Seat",
        None,
        vec![
            FieldDecl { minimum: Some(1), ..req("count", Int) },
            req("role", enumeration("SeatRole")),
            req("appointed_by", enumeration("Appointer")),
            opt("member", members_ref()),
            def("represents", list(members_ref()), empty()),
            def("removable_by_appointer", Bool, DefaultValue::Scalar(Scalar::Bool(true))),
        ],
    );
    add_record(
        "Control",
        None,
        vec![
            def("reserved_matters", list(enumeration("ReservedMatter")), empty()),
            def("reserved_matters_held_by", list(members_ref()), empty()),
            def("step_in_on_poor_performance", Bool, no()),
            def("can_remove_directors", Bool, no()),
            def("information_rights", Bool, no()),
            def("secretary_of_state_direction", Bool, no()),
            def("interests_contrary_to_owners", Bool, no()),
            opt("business_relationship", Bool),
            def("documents_state_council_connection", Bool, no()),
            def("councillor_director_terms", Bool, no()),
        ],
    );
    add_record(
        "AssetLock",
        None,
        vec![
            def("statutory", Bool, no()),
            def("contractual", Bool, no()),
            def("specified_bodies", list(record("Recipient")), empty()),
            opt("residual_assets_to", enumeration("ResidualDestination")),
            def("dividends", enumeration("DividendPolicy"), variant("none")),
            opt("dividend_cap", Percent),
        ],
    );
    add_record("Recipient", None, vec![req("name", Text), req("kind", enumeration("RecipientKind"))]);
    add_record(
        "Activities",
        None,
        vec![opt("for_controlling_authorities", Percent), opt("measured_by", enumeration("ActivityMeasure"))],
    );
    add_record(
        "Contract",
        Some("name"),
        vec![
            req("name", Text),
            req("authority", Text),
            req("services", list(enumeration("Service"))),
            req("award_route", enumeration("AwardRoute")),
            req("awarded_on", Date),
            opt("procurement_started_on", Date),
            opt("reserved_competition_on", Date),
            req("start", Date),
            req("initial_term", Dur),
            def("extension", Dur, DefaultValue::Scalar(Scalar::Duration(Duration { months: 0, days: 0 }))),
            opt("annual_value", Money),
            def("value_includes_vat", Bool, DefaultValue::Scalar(Scalar::Bool(true))),
            opt("market_test_by", Date),
            def("performance_termination", Bool, no()),
            opt("previous_reserved_award_on", Date),
            opt("pension_protection", enumeration("PensionProtection")),
            opt("transfers_staff", Bool),
            def("exit_provisions", Bool, no()),
            def("modifications", list(record("Modification")), empty()),
        ],
    );
    add_record(
        "Modification",
        None,
        vec![req("made_on", Date), req("value_increase", Percent), req("ground", enumeration("ModificationGround"))],
    );
    add_record(
        "Staff",
        None,
        vec![
            def("transfer", Bool, no()),
            opt("transfer_date", Date),
            def("tupe", Bool, no()),
            opt("employee_liability_information_on", Date),
            opt("consultation_began_on", Date),
            opt("headcount", Int),
            opt("new_starter_terms", enumeration("NewStarterTerms")),
            def("engagement", list(enumeration("Engagement")), empty()),
        ],
    );
    add_record(
        "Scope",
        None,
        vec![
            def("delegated", list(enumeration("Function")), empty()),
            def("retained", list(enumeration("Function")), empty()),
            def("registered_adoption_society", Bool, no()),
            opt("registered_social_workers", Bool),
        ],
    );
    add_record(
        "Support",
        None,
        vec![
            req("kind", enumeration("SupportKind")),
            req("authority", Text),
            opt("amount", Money),
            def("subsidy_assessed", Bool, no()),
        ],
    );
    add_record(
        "Waiver",
        None,
        vec![
            req("rule", Text),
            opt("element", Text),
            req("reason", Text),
            req("approved_by", Text),
            req("approved_on", Date),
            opt("expires", Date),
        ],
    );
    let services = "childrens_social_care, fostering, adoption, youth_offending, early_help, education, \
                    independent_reviewing_officer, send, leisure, housing_management, other";
    let mut add_enum = |name: &str, includes: &[&str], values: &str| {
        let variants = values
            .split(',')
            .map(|value| VariantDecl { name: value.trim().into(), doc: None, span: Span::default() })
            .collect();
        let includes = includes.iter().map(|&name| name.to_owned()).collect();
        let decl = EnumDecl { name: name.into(), variants, includes, doc: None, span: Span::default() };
        schema.enums.insert(name.into(), decl);
    };
    add_enum(
        "LegalForm",
        &[],
        "company_limited_by_guarantee, company_limited_by_shares, community_benefit_society, \
        cooperative_society, charitable_incorporated_organisation, limited_liability_partnership",
    );
    add_enum("ProfitDistribution", &[], "none, reinvested, members_only, participatory, unrestricted");
    add_enum(
        "MemberKind",
        &[],
        "local_authority, secretary_of_state, employees, employee_trust, charity, \
        community_interest_company, private_investor, individual, other_public_body",
    );
    add_enum(
        "SeatRole",
        &[],
        "executive, independent_non_executive, council_non_executive, staff_director, \
        secretary_of_state_nominee",
    );
    add_enum("Appointer", &[], "member, board, secretary_of_state, employees, council_and_secretary_of_state");
    add_enum(
        "ReservedMatter",
        &[],
        "strategy, business_plan, annual_budget, senior_appointments, amend_articles, \
        change_objects, admit_members, dispose_of_assets, borrowing, winding_up",
    );
    add_enum(
        "RecipientKind",
        &[],
        "community_interest_company, charity, scottish_charity, overseas_equivalent, \
        community_benefit_society, local_authority, other",
    );
    add_enum("ResidualDestination", &[], "specified_asset_locked_body, members, council, regulator_decides");
    add_enum("DividendPolicy", &[], "none, capped, uncapped");
    add_enum("ActivityMeasure", &[], "turnover_3_year_average, costs_3_year_average, business_projection");
    add_enum("Service", &[], services);
    add_enum(
        "AwardRoute",
        &[],
        "vertical_in_house, joint_in_house, horizontal_cooperation, reserved_mutual, \
        open_competition, light_touch_competitive, direct_award, secretary_of_state_direction",
    );
    add_enum("PensionProtection", &[], "lgps_admission, lgps_designation, broadly_comparable, none");
    add_enum("SupportKind", &[], "start_up_loan, loan_guarantee, grant, rent_below_market, assets_below_market, other");
    add_enum(
        "ModificationGround",
        &[],
        "provided_for, additional_services, unforeseeable, known_risk, new_provider, not_substantial, de_minimis",
    );
    add_enum("NewStarterTerms", &[], "council_equivalent, own");
    add_enum("Engagement", &[], "staff_director, staff_forum, employee_members, recognised_unions");
    add_enum("Function", &["Service"], &format!("{services}, director_of_childrens_services, lead_member"));
    schema
}

// ---------------------------------------------------------------------------------------
// Helpers (in a `cfg(test)` module, where the crate's no-panic lints allow failing loudly).

#[cfg(test)]
mod support {
    use super::*;

    pub struct Run {
        pub sources: SourceMap,
        pub file: FileId,
        pub loaded: Loaded,
    }

    pub fn run(text: &str) -> Run {
        let mut sources = SourceMap::new();
        let file = sources.add("trust.toml", text, Origin::Disk);
        let loaded = load(&sources, file, schema());
        Run { sources, file, loaded }
    }

    impl Run {
        pub fn document(&self) -> &Document {
            match &self.loaded.document {
                Some(document) => document,
                None => panic!("expected a document, got {:#?}", self.loaded.diagnostics),
            }
        }

        /// The only diagnostic with this code.
        pub fn only(&self, code: &str) -> &Diagnostic {
            let found: Vec<&Diagnostic> = self.loaded.diagnostics.iter().filter(|d| d.code == code).collect();
            assert_eq!(found.len(), 1, "expected one `{code}`, got {:#?}", self.loaded.diagnostics);
            assert!(self.loaded.document.is_none(), "no document when there is an error");
            found[0]
        }

        /// The diagnostic whose message is this.
        pub fn with_message(&self, message: &str) -> &Diagnostic {
            match self.loaded.diagnostics.iter().find(|d| d.message == message) {
                Some(diagnostic) => diagnostic,
                None => panic!("no diagnostic `{message}` in {:#?}", self.loaded.diagnostics),
            }
        }

        pub fn text(&self, span: Span) -> &str {
            self.sources.slice(span)
        }

        pub fn underlined(&self, diagnostic: &Diagnostic) -> &str {
            self.text(diagnostic.span().expect("every diagnostic has a span"))
        }

        /// The quick fix of a diagnostic, as the text it writes and the text it replaces.
        pub fn fix<'r>(&'r self, diagnostic: &'r Diagnostic) -> Option<(&'r str, &'r str)> {
            let [fix] = diagnostic.fixes.as_slice() else {
                assert!(diagnostic.fixes.is_empty(), "at most one fix: {:#?}", diagnostic.fixes);
                return None;
            };
            let [edit] = fix.edits.as_slice() else { panic!("one edit: {fix:#?}") };
            assert_eq!(fix.title, format!("write `{}`", edit.text));
            Some((edit.text.as_str(), self.text(edit.span)))
        }

        pub fn codes(&self) -> Vec<&str> {
            self.loaded.diagnostics.iter().map(|d| d.code.as_str()).collect()
        }

        pub fn line_column(&self, span: Span) -> (u32, u32) {
            let position = self.sources.get(self.file).expect("file").position(span.start);
            (position.line, position.column)
        }
    }

    pub fn field<'r>(record: &'r Record, name: &str) -> &'r Field {
        record.field(name).unwrap_or_else(|| panic!("no field `{name}` in {}", record.type_name))
    }

    pub fn sub<'r>(record: &'r Record, name: &str) -> &'r Record {
        match field(record, name).value.as_ref().map(|node| &node.kind) {
            Some(NodeKind::Record(inner)) => inner,
            other => panic!("`{name}` is not a record: {other:?}"),
        }
    }

    pub fn elements<'r>(record: &'r Record, name: &str) -> Vec<&'r Record> {
        match field(record, name).value.as_ref().map(|node| &node.kind) {
            Some(NodeKind::List(items)) => items
                .iter()
                .map(|item| match &item.kind {
                    NodeKind::Record(inner) => inner.as_ref(),
                    other => panic!("not a record: {other:?}"),
                })
                .collect(),
            other => panic!("`{name}` is not a list: {other:?}"),
        }
    }

    pub fn scalar(record: &Record, name: &str) -> Scalar {
        match field(record, name).value.as_ref().map(|node| &node.kind) {
            Some(NodeKind::Scalar(value)) => value.clone(),
            other => panic!("`{name}` is not a scalar: {other:?}"),
        }
    }
}

use support::{elements, field, run, scalar, sub};

const TRUST: &str = r#"[trust]
name = "Example Children's Trust"
legal_form = "company_limited_by_guarantee"
operational_from = 2018-04-01
"#;

const MEMBER: &str = r#"
[[members]]
name = "Example City Council"
kind = "local_authority"
voting_rights = "100%"
"#;

const BOARD: &str = r#"
[board]
chair_appointed_by = "member"
"#;

fn minimal() -> String {
    format!("{TRUST}{MEMBER}{BOARD}")
}

// ---------------------------------------------------------------------------------------
// A valid constitution: values, spans, defaults, absent facts.

#[test]
fn minimal_constitution_loads_with_stated_spans() {
    let run = run(&minimal());
    assert!(run.loaded.diagnostics.is_empty(), "{:#?}", run.loaded.diagnostics);
    let root = &run.document().root;
    assert_eq!(root.span, Span { file: run.file, start: 0, end: 0 });

    let trust = sub(root, "trust");
    assert!(trust.present);
    assert_eq!(run.text(trust.span), "[trust]");
    let trust_field = field(root, "trust");
    assert_eq!(trust_field.provenance, Provenance::Stated);
    assert_eq!(run.text(trust_field.key_span), "trust");
    assert_eq!(run.text(trust_field.blame_span()), "[trust]");

    let name = field(trust, "name");
    assert_eq!(name.provenance, Provenance::Stated);
    assert_eq!(run.text(name.key_span), "name");
    assert_eq!(run.text(name.blame_span()), "\"Example Children's Trust\"");
    assert_eq!(scalar(trust, "name"), Scalar::Text(Arc::from("Example Children's Trust")));
    assert_eq!(scalar(trust, "legal_form"), Scalar::Enum(Arc::from("company_limited_by_guarantee")));
    assert_eq!(scalar(trust, "operational_from"), Scalar::Date("2018-04-01".parse().expect("date")));

    let members = elements(root, "members");
    assert_eq!(members.len(), 1);
    assert_eq!(run.text(members[0].span), "[[members]]");
    assert_eq!(scalar(members[0], "voting_rights"), Scalar::Percent(Decimal::from(100)));
}

#[test]
fn defaults_point_at_the_enclosing_table() {
    let run = run(&minimal());
    let root = &run.document().root;
    let member = elements(root, "members")[0];

    let capital = field(member, "capital");
    assert_eq!(capital.provenance, Provenance::Defaulted);
    assert_eq!(run.text(capital.key_span), "[[members]]");
    assert_eq!(run.text(capital.blame_span()), "[[members]]");
    assert_eq!(scalar(member, "capital"), Scalar::Percent(Decimal::ZERO));

    let trust = sub(root, "trust");
    let charity = field(trust, "charity");
    assert_eq!(charity.provenance, Provenance::Defaulted);
    assert_eq!(run.text(charity.key_span), "[trust]");
    assert_eq!(scalar(trust, "profit_distribution"), Scalar::Enum(Arc::from("none")));

    let board = sub(root, "board");
    let seats = field(board, "seats");
    assert_eq!(seats.provenance, Provenance::Defaulted);
    assert_eq!(run.text(seats.key_span), "[board]");
    assert!(elements(board, "seats").is_empty());
}

#[test]
fn absent_optional_fields_have_no_value_and_point_at_their_table() {
    let run = run(&minimal());
    let root = &run.document().root;
    let shadow = field(sub(root, "trust"), "shadow_from");
    assert_eq!(shadow.provenance, Provenance::Absent);
    assert!(shadow.value.is_none());
    assert_eq!(run.text(shadow.key_span), "[trust]");

    let notes = field(root, "notes");
    assert_eq!(notes.provenance, Provenance::Absent);
    assert_eq!(notes.key_span, Span { file: run.file, start: 0, end: 0 });
}

#[test]
fn a_table_left_out_is_a_record_of_defaults_at_the_file_start() {
    let text = format!("\u{feff}{}", minimal());
    let run = run(&text);
    let root = &run.document().root;
    let control_field = field(root, "control");
    assert_eq!(control_field.provenance, Provenance::Defaulted);
    let start = Span { file: run.file, start: 0, end: 0 };
    assert_eq!(control_field.key_span, start);
    let control = sub(root, "control");
    assert!(!control.present);
    assert_eq!(control.span, start);
    let matters = field(control, "reserved_matters");
    assert_eq!(matters.provenance, Provenance::Defaulted);
    assert_eq!(matters.key_span, start);
    assert_eq!(matters.blame_span(), start);
    assert_eq!(run.line_column(start), (1, 1));
    // Every declared field is there, stated or not.
    let decl = schema().record("AssetLock").expect("AssetLock");
    let asset_lock = sub(root, "asset_lock");
    assert_eq!(asset_lock.fields.len(), decl.fields.len());
}

#[test]
fn a_written_table_gives_its_header_to_its_defaults() {
    let run = run(&format!("{}\n[asset_lock]\nstatutory = true\n", minimal()));
    let asset_lock = sub(&run.document().root, "asset_lock");
    assert!(asset_lock.present);
    assert_eq!(run.text(asset_lock.span), "[asset_lock]");
    assert_eq!(run.text(field(asset_lock, "dividends").key_span), "[asset_lock]");
    assert_eq!(scalar(asset_lock, "statutory"), Scalar::Bool(true));
}

#[test]
fn inline_tables_are_placed_at_their_brace() {
    let text = format!(
        "{}\n[asset_lock]\nspecified_bodies = [{{ name = \"Example Children's Charity\", kind = \"charity\" }}]\n",
        minimal()
    );
    let run = run(&text);
    let bodies = elements(sub(&run.document().root, "asset_lock"), "specified_bodies");
    assert_eq!(run.text(bodies[0].span), "{");
    assert_eq!(run.text(field(bodies[0], "kind").blame_span()), "\"charity\"");
}

#[test]
fn references_resolve_to_the_named_member() {
    let text = format!(
        "{TRUST}{MEMBER}\n[[members]]\nname = \"Other Council\"\nkind = \"local_authority\"\nvoting_rights = \
         \"0%\"\n{BOARD}\n[[board.seats]]\ncount = 2\nrole = \"council_non_executive\"\nappointed_by = \
         \"member\"\nmember = \"Other Council\"\nrepresents = [\"Example City Council\"]\n"
    );
    let run = run(&text);
    let seats = elements(sub(&run.document().root, "board"), "seats");
    assert_eq!(run.text(seats[0].span), "[[board.seats]]");
    let member = field(seats[0], "member").value.as_ref().expect("member");
    match &member.kind {
        NodeKind::Ref { list, index, key } => {
            assert_eq!((list.as_str(), *index, key.as_str()), ("members", 1, "Other Council"));
        }
        other => panic!("not a ref: {other:?}"),
    }
    assert_eq!(run.text(member.span), "\"Other Council\"");
    match field(seats[0], "represents").value.as_ref().map(|node| &node.kind) {
        Some(NodeKind::List(items)) => {
            assert!(matches!(&items[0].kind, NodeKind::Ref { index: 0, .. }), "{items:?}");
        }
        other => panic!("not a list: {other:?}"),
    }
    assert_eq!(scalar(seats[0], "removable_by_appointer"), Scalar::Bool(true));
}

#[test]
fn the_format_example_loads() {
    let text = format!(
        "{TRUST}community_interest_company = true\n{MEMBER}{BOARD}\n[asset_lock]\nstatutory = true\n\n[[contracts]]\n\
         name = \"Service delivery contract\"\nauthority = \"Example City Council\"\nservices = \
         [\"childrens_social_care\"]\naward_route = \"vertical_in_house\"\nawarded_on = 2018-03-01\nstart = \
         2018-04-01\ninitial_term = \"3 years\"\nannual_value = \"£663,540\"\n\n[notes]\nanything = [1, {{ goes = \
         true }}]\n[notes.deeper]\nx = 1979-05-27T07:32:00Z\n"
    );
    let run = run(&text);
    let root = &run.document().root;
    let contract = elements(root, "contracts")[0];
    assert_eq!(scalar(contract, "initial_term"), Scalar::Duration(Duration { months: 36, days: 0 }));
    assert_eq!(scalar(contract, "annual_value"), Scalar::Money(Decimal::from(663_540)));
    assert_eq!(scalar(contract, "extension"), Scalar::Duration(Duration::default()));
    assert_eq!(run.text(field(contract, "extension").key_span), "[[contracts]]");
    let notes = field(root, "notes").value.as_ref().expect("notes");
    assert!(matches!(notes.kind, NodeKind::Table));
    assert_eq!(run.text(notes.span), "[notes]");
}

#[test]
fn the_example_constitutions_load_without_problems() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|extension| extension != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let run = run(&text);
        assert!(run.loaded.diagnostics.is_empty(), "{}: {:#?}", path.display(), run.loaded.diagnostics);
        let root = &run.document().root;
        assert!(!elements(root, "members").is_empty());
    }
}

#[test]
fn money_may_be_a_bare_integer_of_pounds() {
    let text = format!(
        "{}\n[[contracts]]\nname = \"c\"\nauthority = \"a\"\nservices = []\naward_route = \"direct_award\"\n\
         awarded_on = 2020-01-01\nstart = 2020-01-01\ninitial_term = \"1 year\"\nannual_value = 900000\n",
        minimal()
    );
    let run = run(&text);
    let contract = elements(&run.document().root, "contracts")[0];
    assert_eq!(scalar(contract, "annual_value"), Scalar::Money(Decimal::from(900_000)));
}

// ---------------------------------------------------------------------------------------
// Engine codes.

#[test]
fn toml_syntax_errors_stop_the_load() {
    let run = run("[trust\nname = 1\n");
    let diagnostic = run.only("toml.syntax");
    assert_eq!(diagnostic.message, "unclosed table");
    assert_eq!(diagnostic.help.as_deref(), Some("expected `]`"));
    let span = diagnostic.span().expect("span");
    assert_eq!((span.start, span.end), (6, 6));
    assert_eq!(run.codes(), vec!["toml.syntax"], "no schema checks after a syntax error");
}

#[test]
fn unquoted_text_is_a_syntax_error_that_says_to_quote_it() {
    let run = run("[trust]\nname = Example Trust\n");
    let diagnostic = &run.loaded.diagnostics[0];
    assert_eq!(diagnostic.code, "toml.syntax");
    assert_eq!(diagnostic.message, "text must be in quotes");
    assert!(run.loaded.document.is_none());
}

#[test]
fn a_key_written_twice_is_a_syntax_error() {
    let run = run("[trust]\nname = \"a\"\nname = \"b\"\n");
    let diagnostic = run.only("toml.syntax");
    assert_eq!(diagnostic.message, "`name` is written more than once in the same table");
    assert_eq!(run.underlined(diagnostic), "name");
    assert_eq!(run.line_column(diagnostic.span().expect("span")), (3, 1));
}

#[test]
fn a_list_entry_written_as_a_single_table_is_explained_and_fixed_at_its_header() {
    let text = minimal().replace(
        MEMBER,
        &format!(
            "{}\n[[members]]\nname = \"Second\"\nkind = \"local_authority\"\n",
            MEMBER.replace("[[members]]", "[ members ]  # the owners")
        ),
    );
    let run = run(&text);
    let diagnostic = run.only("toml.syntax");
    assert_eq!(diagnostic.message, "`members` is written more than once in the same table");
    let header_line = text.lines().position(|line| line.starts_with("[ members ]")).unwrap() + 1;
    assert_eq!(
        diagnostic.help.as_deref(),
        Some(&*format!(
            "`[members]` (line {header_line}) starts a single table, and `[[members]]` an entry of a list: \
             write `[[members]]` there too, so that every entry is in the list"
        ))
    );
    let [fix] = diagnostic.fixes.as_slice() else { panic!("one fix: {:#?}", diagnostic.fixes) };
    assert_eq!(fix.title, format!("write `[[members]]` at line {header_line}"));
    let edits: Vec<(&str, &str)> = fix.edits.iter().map(|edit| (edit.text.as_str(), run.text(edit.span))).collect();
    assert_eq!(edits, [("[[members]]", "[ members ]")]);
    // A key written twice is no list entry: its help stays the general one.
    let twice = support::run("[trust]\nname = \"a\"\nname = \"b\"\n");
    assert!(twice.only("toml.syntax").fixes.is_empty());
}

#[test]
fn unknown_field_suggests_the_field_meant() {
    let run = run(&minimal().replace("name = \"Example Children's Trust\"", "name = \"x\"\nnmae = \"y\""));
    let diagnostic = run.only("schema.unknown_field");
    assert_eq!(diagnostic.message, "unknown field `nmae` in `trust`");
    assert_eq!(diagnostic.help.as_deref(), Some("did you mean `name`?"));
    assert_eq!(run.underlined(diagnostic), "nmae");
}

#[test]
fn an_unknown_field_beside_the_one_missing_required_field_is_asked_about_that_field() {
    let renamed = minimal().replace("kind = \"local_authority\"", "type = \"local_authority\"");
    let run = run(&renamed);
    let diagnostic = run.only("schema.unknown_field");
    assert_eq!(diagnostic.message, "unknown field `type` in `members`");
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("`kind` is required here and not written: if `type` is meant to be `kind`, rename it")
    );
    run.only("schema.missing_field");
    // With a second unknown key, which of them was meant is not clear: the fields are listed.
    let two = support::run(&renamed.replace("type = ", "sort = \"x\"\ntype = "));
    let helps: Vec<&str> = two
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "schema.unknown_field")
        .filter_map(|d| d.help.as_deref())
        .collect();
    assert_eq!(helps.len(), 2, "{helps:?}");
    assert!(helps.iter().all(|help| help.starts_with("the fields of `members` are")), "{helps:?}");
}

#[test]
fn unknown_table_at_the_root_lists_the_tables_when_nothing_is_close() {
    let run = run(&format!("{}\n[zzz]\nx = 1\n", minimal()));
    let diagnostic = run.only("schema.unknown_field");
    assert_eq!(diagnostic.message, "unknown table `[zzz]`");
    assert!(diagnostic.help.as_deref().unwrap_or("").starts_with("a constitution has `trust`, `members`"));
    assert_eq!(run.underlined(diagnostic), "zzz");
}

#[test]
fn unknown_fields_under_notes_are_free() {
    let run = run(&format!("{}\n[notes]\nanything = \"at all\"\n[notes.more]\nx = [1, 2]\n", minimal()));
    assert!(run.loaded.diagnostics.is_empty(), "{:#?}", run.loaded.diagnostics);
}

#[test]
fn missing_field_points_at_the_table_header() {
    let run = run(&minimal().replace("operational_from = 2018-04-01\n", ""));
    let diagnostic = run.only("schema.missing_field");
    assert_eq!(diagnostic.message, "missing field `operational_from` in `trust`");
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("add `operational_from`: the date the vehicle takes over the services")
    );
    assert_eq!(run.underlined(diagnostic), "[trust]");
}

#[test]
fn missing_root_table_points_at_the_file_start() {
    let run = run(&format!("{TRUST}{MEMBER}"));
    let diagnostic = run.only("schema.missing_field");
    assert_eq!(diagnostic.message, "missing table `[board]`");
    assert_eq!(diagnostic.span(), Some(Span { file: run.file, start: 0, end: 0 }));
    assert_eq!(run.underlined(diagnostic), "");
}

#[test]
fn missing_field_of_an_array_table_element_points_at_its_header() {
    let run = run(&minimal().replace("kind = \"local_authority\"\n", ""));
    let diagnostic = run.only("schema.missing_field");
    assert_eq!(diagnostic.message, "missing field `kind` in `members`");
    assert_eq!(run.underlined(diagnostic), "[[members]]");
}

#[test]
fn missing_field_of_an_inline_table_points_at_its_brace() {
    let run = run(&format!("{}\n[asset_lock]\nspecified_bodies = [{{ name = \"Charity\" }}]\n", minimal()));
    let diagnostic = run.only("schema.missing_field");
    assert_eq!(diagnostic.message, "missing field `kind` in `asset_lock.specified_bodies`");
    assert_eq!(run.underlined(diagnostic), "{");
}

#[test]
fn an_empty_non_empty_list_is_a_missing_field() {
    let run = run(&format!("members = []\n{TRUST}{BOARD}"));
    let diagnostic = run.only("schema.missing_field");
    assert_eq!(diagnostic.message, "`members` is empty, but at least one entry is required");
    assert_eq!(run.underlined(diagnostic), "[]");
}

#[test]
fn a_bare_number_for_a_percentage_says_how_to_write_it() {
    let run = run(&minimal().replace("voting_rights = \"100%\"", "voting_rights = 100"));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "`voting_rights` must be a percentage, not a bare number");
    assert_eq!(diagnostic.help.as_deref(), Some("write \"100%\""));
    assert_eq!(run.underlined(diagnostic), "100");
}

#[test]
fn a_fraction_for_a_percentage_suggests_both_readings() {
    let run = run(&minimal().replace("voting_rights = \"100%\"", "voting_rights = 0.75"));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.help.as_deref(), Some("write \"0.75%\", or \"75%\" if 0.75 is a fraction of the whole"));
}

#[test]
fn a_percentage_that_does_not_parse_uses_the_notation_help() {
    let run = run(&minimal().replace("voting_rights = \"100%\"", "voting_rights = \"all\""));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "`voting_rights` must be a percentage, not `all`");
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("write a percentage as digits and `%`, for example \"75%\" or \"80.5%\"")
    );
    assert_eq!(run.underlined(diagnostic), "\"all\"");
}

fn contract(annual_value: &str) -> String {
    format!(
        "{}\n[[contracts]]\nname = \"c\"\nauthority = \"a\"\nservices = [\"fostering\"]\naward_route = \
         \"direct_award\"\nawarded_on = 2020-01-01\nstart = 2020-01-01\ninitial_term = \"1 year\"\nannual_value = \
         {annual_value}\n",
        minimal()
    )
}

#[test]
fn a_float_for_money_must_be_quoted() {
    let run = run(&contract("663540.10"));
    let diagnostic = run.only("schema.type");
    assert_eq!(
        diagnostic.message,
        "`annual_value` must be an exact amount of money, not a bare number with a decimal point"
    );
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("write it in quotes, as \"£663540.10\": a bare number with a decimal point is not exact")
    );
    assert_eq!(run.underlined(diagnostic), "663540.10");
    assert_eq!(run.fix(diagnostic), Some(("\"£663540.10\"", "663540.10")));
}

#[test]
fn a_date_time_is_not_a_date() {
    let run = run(&minimal().replace("operational_from = 2018-04-01", "operational_from = 2018-04-01T09:00:00"));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "`operational_from` must be a date, not a date and time");
    assert_eq!(diagnostic.help.as_deref(), Some("write the date alone, without a time: `2018-04-01`"));
    assert_eq!(run.underlined(diagnostic), "2018-04-01T09:00:00");
    assert_eq!(run.fix(diagnostic), Some(("2018-04-01", "2018-04-01T09:00:00")));
}

#[test]
fn a_quoted_date_says_to_drop_the_quotes() {
    let run = run(&minimal().replace("operational_from = 2018-04-01", "operational_from = \"2018-04-01\""));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "`operational_from` must be a date, not text");
    assert_eq!(diagnostic.help.as_deref(), Some("write the date without quotes: `2018-04-01`"));
    assert_eq!(run.fix(diagnostic), Some(("2018-04-01", "\"2018-04-01\"")));
}

#[test]
fn a_date_written_in_english_is_given_in_the_form_the_format_wants() {
    let quoted = |written: &str| {
        let run =
            run(&minimal().replace("operational_from = 2018-04-01", &format!("operational_from = \"{written}\"")));
        let diagnostic = run.only("schema.type");
        assert_eq!(diagnostic.message, "`operational_from` must be a date, not text");
        let fix = run.fix(diagnostic).map(|(text, _)| text.to_owned());
        (diagnostic.help.clone().unwrap_or_default(), fix)
    };
    let certain = Some("2018-04-01".to_owned());
    for written in ["1 April 2018", "1st April 2018", "April 1, 2018", "01/04/2018"] {
        let (help, fix) = quoted(written);
        assert!(help.starts_with("write the date as year-month-day without quotes: `2018-04-01`"), "{written}: {help}");
        // 01/04/2018 is 4 January to a reader who puts the month first.
        if written.contains('/') {
            assert!(help.ends_with("if `01/04/2018` is day/month/year"), "{help}");
            assert_eq!(fix, None, "{written}");
        } else {
            assert_eq!(fix, certain, "{written}");
        }
    }
    assert_eq!(quoted("31/03/2018").1, Some("2018-03-31".to_owned()));
    assert_eq!(
        quoted("next spring"),
        ("write a date as year-month-day without quotes, for example `2018-04-01`".to_owned(), None)
    );
}

#[test]
fn a_duration_or_percentage_in_words_is_given_in_the_notation_with_its_fix() {
    let term = |written: &str| {
        let text = contract("\"£900k\"").replace("initial_term = \"1 year\"", &format!("initial_term = \"{written}\""));
        let run = run(&text);
        let diagnostic = run.only("schema.type");
        let fix = run.fix(diagnostic).map(|(text, replaced)| (text.to_owned(), replaced.to_owned()));
        (diagnostic.help.clone().unwrap_or_default(), fix)
    };
    assert_eq!(
        term("5 years and 6 months"),
        ("write \"66 months\"".to_owned(), Some(("\"66 months\"".to_owned(), "\"5 years and 6 months\"".to_owned())))
    );
    assert_eq!(term("six yrs").1.map(|(text, _)| text), Some("\"6 years\"".to_owned()));
    let (help, fix) = term("a few years");
    assert!(help.starts_with("write a duration as a whole number and a unit"), "{help}");
    assert_eq!(fix, None);

    let money = run(&contract("\"£1.2 million\""));
    let diagnostic = money.only("schema.type");
    assert_eq!(diagnostic.help.as_deref(), Some("write \"£1.2m\""));
    assert_eq!(money.fix(diagnostic), Some(("\"£1.2m\"", "\"£1.2 million\"")));

    let run = run(&minimal().replace("voting_rights = \"100%\"", "voting_rights = \"100 per cent\""));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.help.as_deref(), Some("write \"100%\""));
    assert_eq!(run.fix(diagnostic), Some(("\"100%\"", "\"100 per cent\"")));
}

#[test]
fn a_value_in_the_wrong_notation_is_fixed_only_when_its_meaning_is_certain() {
    let fixed = |from: &str, to: &str| {
        let text = minimal().replace(from, to);
        assert_ne!(text, minimal(), "{from}");
        let run = run(&text);
        let diagnostic = run.only("schema.type");
        run.fix(diagnostic).map(|(text, replaced)| (text.to_owned(), replaced.to_owned()))
    };
    let fix = |text: &str, replaced: &str| Some((text.to_owned(), replaced.to_owned()));
    assert_eq!(fixed("voting_rights = \"100%\"", "voting_rights = 100"), fix("\"100%\"", "100"));
    assert_eq!(fixed("voting_rights = \"100%\"", "voting_rights = 1_00.0"), fix("\"100.0%\"", "1_00.0"));
    // 0.5 may be 0.5% or 50%; "yes" may be what the officer meant, or not.
    assert_eq!(fixed("voting_rights = \"100%\"", "voting_rights = 0.5"), None);
    assert_eq!(fixed("name = \"Example Children's Trust\"", "name = 2018-04-01"), fix("\"2018-04-01\"", "2018-04-01"));
    assert_eq!(fixed("name = \"Example Children's Trust\"", "name = true"), fix("\"true\"", "true"));
    let board = |value: &str| format!("{}\n[[board.seats]]\ncount = {value}\nrole = \"independent\"\n", minimal());
    let run_board = |value: &str| {
        let run = run(&board(value));
        let diagnostic = run.only("schema.type");
        run.fix(diagnostic).map(|(text, replaced)| (text.to_owned(), replaced.to_owned()))
    };
    assert_eq!(run_board("\" 3 \""), fix("3", "\" 3 \""));
    assert_eq!(run_board("2.5"), None, "a whole number is not guessed from a decimal");
}

#[test]
fn a_list_element_of_the_wrong_type_is_named_as_an_entry() {
    let run = run(&contract("1").replace("services = [\"fostering\"]", "services = [\"fostering\", 3]"));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "an entry of `services` must be one of the `Service` values, not a bare number");
    assert_eq!(run.underlined(diagnostic), "3");
}

#[test]
fn a_single_table_written_as_an_array_of_tables() {
    let run = run(&minimal().replace("[board]", "[[board]]"));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "`board` must be a table, not a list of `[[…]]` tables");
    assert_eq!(diagnostic.help.as_deref(), Some("write a single `[board]` table, not `[[board]]`"));
    assert_eq!(run.underlined(diagnostic), "[[board]]");
}

#[test]
fn unknown_variant_suggests_the_value_meant() {
    let run = run(&minimal().replace("\"local_authority\"", "\"local_authorty\""));
    let diagnostic = run.only("schema.unknown_variant");
    assert_eq!(diagnostic.message, "`local_authorty` is not a valid value for `kind`");
    assert_eq!(diagnostic.help.as_deref(), Some("did you mean `local_authority`?"));
    assert_eq!(run.underlined(diagnostic), "\"local_authorty\"");
}

#[test]
fn unknown_variant_lists_the_values_when_nothing_is_close() {
    let run = run(&minimal().replace("chair_appointed_by = \"member\"", "chair_appointed_by = \"zzz\""));
    let diagnostic = run.only("schema.unknown_variant");
    assert_eq!(
        diagnostic.help.as_deref(),
        Some(
            "the valid values are `member`, `board`, `secretary_of_state`, `employees` and \
             `council_and_secretary_of_state`"
        )
    );
}

#[test]
fn a_percentage_over_100_is_out_of_range() {
    let run = run(&minimal().replace("voting_rights = \"100%\"", "voting_rights = \"150%\""));
    let diagnostic = run.only("schema.range");
    assert_eq!(diagnostic.message, "`voting_rights` must be between 0% and 100%, not `150%`");
    assert_eq!(run.underlined(diagnostic), "\"150%\"");
}

#[test]
fn a_duplicate_key_points_at_the_second_with_a_label_at_the_first() {
    let run = run(&format!("{}{MEMBER}", minimal()));
    let diagnostic = run.only("schema.duplicate");
    assert_eq!(diagnostic.message, "two entries of `members` have the name `Example City Council`");
    assert_eq!(diagnostic.help.as_deref(), Some("give each entry of `members` a different `name`"));
    assert_eq!(run.underlined(diagnostic), "\"Example City Council\"");
    let span = diagnostic.span().expect("span");
    let first = diagnostic.labels[0].span;
    assert_eq!(run.text(first), "\"Example City Council\"");
    assert!(first.start < span.start);
    assert_eq!(diagnostic.labels[0].message.as_deref(), Some("first used here"));
}

fn seat(member: &str) -> String {
    format!(
        "{}\n[[board.seats]]\ncount = 1\nrole = \"council_non_executive\"\nappointed_by = \"member\"\nmember = \
         {member}\n",
        minimal()
    )
}

#[test]
fn a_bad_reference_suggests_and_lists_the_names() {
    let run = run(&seat("\"Example Cty Council\""));
    let diagnostic = run.only("schema.bad_reference");
    assert_eq!(diagnostic.message, "`member` names `Example Cty Council`, which is not one of the `members`");
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("did you mean `Example City Council`? (the `members` are `Example City Council`)")
    );
    assert_eq!(run.underlined(diagnostic), "\"Example Cty Council\"");
}

#[test]
fn a_bad_reference_lists_the_names_when_nothing_is_close() {
    let run = run(&seat("\"Zzz\""));
    let diagnostic = run.only("schema.bad_reference");
    assert_eq!(diagnostic.help.as_deref(), Some("the `members` are `Example City Council`"));
}

#[test]
fn a_reference_that_is_not_text_is_a_type_error() {
    let run = run(&seat("3"));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "`member` must be the name of one of the `members`, not a bare number");
}

#[test]
fn every_problem_is_reported_in_file_order() {
    let text = minimal()
        .replace("legal_form = \"company_limited_by_guarantee\"", "legal_form = \"cic\"\nnmae = 1")
        .replace("voting_rights = \"100%\"", "voting_rights = 100");
    let run = run(&text);
    assert_eq!(run.codes(), vec!["schema.unknown_variant", "schema.unknown_field", "schema.type"]);
    let offsets: Vec<u32> = run.loaded.diagnostics.iter().map(|d| d.span().expect("span").start).collect();
    assert!(offsets.windows(2).all(|pair| pair[0] <= pair[1]), "{offsets:?}");
    assert!(run.loaded.document.is_none());
}

// ---------------------------------------------------------------------------------------
// Line endings and byte-order marks.

#[test]
fn lf_crlf_and_bom_give_the_same_lines_and_columns() {
    let lf = minimal().replace("voting_rights = \"100%\"", "voting_rights = 100");
    let crlf = lf.replace('\n', "\r\n");
    let bom = format!("\u{feff}{lf}");
    let bom_crlf = format!("\u{feff}{crlf}");
    let mut seen = Vec::new();
    for text in [&lf, &crlf, &bom, &bom_crlf] {
        let run = run(text);
        let diagnostic = run.only("schema.type");
        assert_eq!(run.underlined(diagnostic), "100");
        seen.push(run.line_column(diagnostic.span().expect("span")));
    }
    assert_eq!(seen, vec![(9, 17); 4]);
}

#[test]
fn a_bom_keeps_offsets_relative_to_the_whole_file() {
    let run = run(&format!("\u{feff}{}", minimal()));
    let trust = sub(&run.document().root, "trust");
    assert_eq!(trust.span.start, 3);
    assert_eq!(run.text(trust.span), "[trust]");
    assert_eq!(run.line_column(trust.span), (1, 1));
}

#[test]
fn a_syntax_error_after_a_bom_is_placed_in_the_whole_file() {
    let run = run("\u{feff}[trust\r\n");
    let diagnostic = run.only("toml.syntax");
    assert_eq!(diagnostic.span().map(|span| span.start), Some(9));
    assert_eq!(run.line_column(diagnostic.span().expect("span")), (1, 7));
}

// ---------------------------------------------------------------------------------------
// Inputs that must never panic.

#[test]
fn an_empty_file_misses_the_required_tables() {
    for text in ["", "\u{feff}", "\n\n", "# only a comment\r\n"] {
        let run = run(text);
        assert_eq!(run.codes(), vec!["schema.missing_field"; 3], "{text:?}");
        for diagnostic in &run.loaded.diagnostics {
            assert_eq!(diagnostic.span(), Some(Span { file: run.file, start: 0, end: 0 }));
        }
    }
}

#[test]
fn junk_never_panics_and_every_diagnostic_has_a_span() {
    let deep_arrays = format!("x = {}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_tables = format!("[{}]\n", vec!["a"; 5000].join("."));
    let deep_inline = format!("trust = {}{}", "{ a = ".repeat(2000), "}".repeat(2000));
    let cases: Vec<String> = vec![
        "junk junk junk".into(),
        "\u{0}\u{1}\u{2}".into(),
        "[[[".into(),
        "= = =".into(),
        "trust = 5".into(),
        "members = \"x\"".into(),
        "[members]\nname = 1".into(),
        "[[trust]]\n[[trust]]".into(),
        "trust.name.x = 1".into(),
        "x = 99999999999999999999999".into(),
        "[board]\nseats = [1, \"a\", [], {}]".into(),
        "[\"\\n\"]\n\"\\u0000\" = 1".into(),
        "a = 0x7fffffffffffffff\nb = -0x1".into(),
        deep_arrays,
        deep_tables,
        deep_inline,
        minimal().replace("voting_rights = \"100%\"", "voting_rights = 1e400"),
        minimal().replace("voting_rights = \"100%\"", "voting_rights = nan"),
        seat("[\"a\", \"b\"]"),
        contract("-5"),
        contract("\"£-5\""),
        contract("99999999999999999999"),
    ];
    for text in &cases {
        let run = run(text);
        assert!(run.loaded.document.is_none(), "{text:.60}: expected errors");
        assert!(!run.loaded.diagnostics.is_empty(), "{text:.60}");
        for diagnostic in &run.loaded.diagnostics {
            assert!(diagnostic.span().is_some(), "{diagnostic:?}");
            assert!(!diagnostic.message.ends_with('.'), "{diagnostic:?}");
            assert!(!diagnostic.message.contains('\n'), "{diagnostic:?}");
        }
    }
}

#[test]
fn every_truncation_of_a_valid_file_loads_without_panicking() {
    let text = format!("\u{feff}{}", seat("\"Example City Council\"")).replace('\n', "\r\n");
    for (end, _) in text.char_indices() {
        let prefix = text.get(..end).expect("char boundary");
        let run = run(prefix);
        assert_eq!(run.loaded.document.is_some(), run.loaded.diagnostics.is_empty(), "{prefix:?}");
        for diagnostic in &run.loaded.diagnostics {
            let span = diagnostic.span().expect("span");
            assert!(span.end as usize <= prefix.len(), "{diagnostic:?} in {prefix:?}");
        }
    }
}

#[test]
fn a_missing_file_id_is_reported_not_a_panic() {
    let sources = SourceMap::new();
    let loaded = load(&sources, FileId(7), schema());
    assert!(loaded.document.is_none());
    assert_eq!(loaded.diagnostics.len(), 1);
}

#[test]
fn an_empty_schema_is_reported_not_a_panic() {
    let mut sources = SourceMap::new();
    let file = sources.add("trust.toml", minimal(), Origin::Disk);
    let loaded = load(&sources, file, &Schema::default());
    assert!(loaded.document.is_none());
    assert_eq!(loaded.diagnostics.len(), 1);
}

#[test]
fn nesting_past_the_parser_guard_is_a_depth_limit() {
    let deep_arrays = format!("x = {}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_header = format!("[{}]\n", vec!["a"; 5000].join("."));
    for text in [deep_arrays, deep_header] {
        let run = run(&text);
        let diagnostic = run.only("limit.depth");
        assert_eq!(diagnostic.message, "tables, lists or dotted keys are nested too deeply");
        assert_eq!(run.codes(), vec!["limit.depth"]);
    }
}

#[test]
fn a_list_entry_that_is_not_a_table() {
    let run =
        run(&format!("{}seats = [{{ count = 1, role = \"executive\", appointed_by = \"board\" }}, 1]\n", minimal()));
    let diagnostic = run.only("schema.type");
    assert_eq!(diagnostic.message, "an entry of `seats` must be a table, not a whole number");
    assert_eq!(diagnostic.help.as_deref(), Some("write each entry as a table, under its own `[[board.seats]]` header"));
    assert_eq!(run.underlined(diagnostic), "1");
}

#[test]
fn a_table_written_as_a_value_is_a_type_error_and_the_rest_is_still_checked() {
    let run = run("trust = 5\n");
    let diagnostic = run.with_message("`trust` must be a table, not a whole number");
    assert_eq!(diagnostic.code, "schema.type");
    assert_eq!(diagnostic.help.as_deref(), Some("write `trust` as a table, under a `[trust]` header"));
    assert_eq!(run.underlined(diagnostic), "5");
    let missing = run.with_message("missing table `[[members]]`");
    let help = missing.help.as_deref().unwrap_or("");
    assert!(help.starts_with("add at least one `[[members]]` table"), "{help}");
    assert_eq!(run.codes(), vec!["schema.missing_field", "schema.missing_field", "schema.type"]);
}

/// The fixture used while the policy compiler could not yet build the standard schema
/// must say what `policies/schema.policy` says.
#[test]
fn the_fixture_mirrors_the_standard_schema() {
    let standard = PolicySet::standard();
    let standard = standard.schema();
    if standard.root_record().is_none() {
        return;
    }
    let fixture = fixture();
    assert_eq!(fixture.root, standard.root);
    for (name, mirror) in &fixture.records {
        let real = standard.record(name).unwrap_or_else(|| panic!("no record `{name}`"));
        assert_eq!(mirror.key, real.key, "{name}");
        let shape = |decl: &RecordDecl| -> Vec<(String, FieldType, bool, Option<DefaultValue>)> {
            decl.fields.iter().map(|f| (f.name.to_string(), f.ty.clone(), f.optional, f.default.clone())).collect()
        };
        assert_eq!(shape(mirror), shape(real), "{name}");
    }
    for (name, mirror) in &fixture.enums {
        let real = standard.enum_decl(name).unwrap_or_else(|| panic!("no enum `{name}`"));
        let names = |decl: &EnumDecl| -> Vec<String> { decl.variants.iter().map(|v| v.name.clone()).collect() };
        assert_eq!(names(mirror), names(real), "{name}");
    }
    assert_eq!(fixture.records.len(), standard.records.len());
    assert_eq!(fixture.enums.len(), standard.enums.len());
}
