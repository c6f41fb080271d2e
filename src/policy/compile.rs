//! Compiles parsed policy files into a [`Program`]: checks every `let` (in dependency order,
//! reporting cycles) and every rule, reports duplicate ids and unused `let`s.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{BuiltinCode, Citation, Diagnostic, RESERVED_PREFIXES, RuleStatus, Severity};
use crate::schema::{Schema, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, TemplatePart, TypeExpr};

use super::contradiction::contradiction;
use super::ir::{
    Builtin, CiteDef, CriterionDef, EventDef, ForEachDef, InvariantDef, LetDef, LetId, MessagePart, Program, RuleDef,
    TExpr, TKind, TableDef, Ty,
};
use super::symbols::{Symbol, Symbols};
use super::typeck::{ExprChecker, LetTable, Scope, field_ty};

#[derive(Clone)]
enum LetState {
    Unchecked,
    InProgress,
    Done(Ty),
}

struct Lets<'a> {
    schema: &'a Schema,
    decls: Vec<&'a ast::LetDecl>,
    /// The policy each `let` is declared in (`None`: outside every policy).
    namespaces: Vec<Option<String>>,
    /// The policy whose code is being checked, innermost last.
    current: Vec<Option<String>>,
    /// Every `let` by its own name (without its policy), in whichever policies declare it.
    by_short: BTreeMap<String, Vec<LetId>>,
    by_name: BTreeMap<String, LetId>,
    states: Vec<LetState>,
    compiled: Vec<Option<LetDef>>,
    used: BTreeSet<LetId>,
    stack: Vec<LetId>,
    errors: Vec<Diagnostic>,
    tables: BTreeMap<String, (usize, Ty)>,
    uses: Vec<(Span, Symbol)>,
    /// Whether uses are recorded (for the language server).
    record_symbols: bool,
}

impl<'a> Lets<'a> {
    /// A `let`'s name as written from outside its policy: `POLICY.NAME`, or `NAME` for one
    /// declared outside every policy.
    fn qualified(&self, id: LetId) -> String {
        let name = self.decls.get(id.0).map_or("", |decl| decl.name.name.as_str());
        match self.namespaces.get(id.0).and_then(Option::as_deref) {
            Some(policy) => format!("{policy}.{name}"),
            None => name.to_owned(),
        }
    }

    /// The `let` a name refers to from the policy being checked: its own policy's, then one
    /// declared outside every policy, then a name written `POLICY.NAME`, then the one `let` of
    /// that name in another policy (none when several policies declare it).
    fn resolve(&self, name: &str) -> Option<LetId> {
        if name.contains('.') {
            return self.by_name.get(name).copied();
        }
        let ids = self.by_short.get(name)?;
        let in_policy =
            |id: &&LetId, policy: Option<&str>| self.namespaces.get(id.0).and_then(Option::as_deref) == policy;
        if let Some(Some(policy)) = self.current.last() {
            if let Some(id) = ids.iter().find(|id| in_policy(id, Some(policy))) {
                return Some(*id);
            }
        }
        if let Some(id) = ids.iter().find(|id| in_policy(id, None)) {
            return Some(*id);
        }
        match ids.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    fn param_types(&self, id: LetId) -> Vec<Ty> {
        let Some(decl) = self.decls.get(id.0) else { return Vec::new() };
        decl.params.iter().map(|param| type_of(self.schema, &param.ty)).collect()
    }

    fn check(&mut self, id: LetId) {
        let Some(decl) = self.decls.get(id.0).copied() else { return };
        if let Some(state) = self.states.get_mut(id.0) {
            *state = LetState::InProgress;
        }
        self.stack.push(id);
        self.current.push(self.namespaces.get(id.0).cloned().flatten());
        let mut scope = Scope::default();
        for (param, ty) in decl.params.iter().zip(self.param_types(id)) {
            scope.bind(&param.name.name, param.name.span, ty);
        }
        let mut errors = Vec::new();
        let schema = self.schema;
        let body = ExprChecker { schema, lets: self, errors: &mut errors }.expr(&decl.body, &mut scope, None);
        self.errors.extend(errors);
        self.stack.pop();
        self.current.pop();
        if decl.constant && body.ty != Ty::Error {
            if let Some(span) = reads_the_constitution(&body, &self.decls) {
                self.errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyType,
                        format!("the constant `{}` reads the constitution", decl.name.name),
                        Some(span),
                    )
                    .with_help("a `const` is the same for every constitution: declare it with `let` if it may vary"),
                );
            }
        }
        let ty = body.ty.clone();
        let name = self.qualified(id);
        if let Some(slot) = self.compiled.get_mut(id.0) {
            *slot = Some(LetDef {
                name: name.into(),
                constant: decl.constant,
                params: decl.params.len(),
                body,
                frame_size: scope.max_slots,
                span: decl.name.span,
                doc: decl.doc.clone().map(Into::into),
                ty: ty.describe().into(),
            });
        }
        if let Some(state) = self.states.get_mut(id.0) {
            *state = LetState::Done(ty);
        }
    }
}

impl LetTable for Lets<'_> {
    fn lookup_table(&self, name: &str) -> Option<(usize, Ty)> {
        self.tables.get(name).cloned()
    }

    fn lookup_let(&self, name: &str) -> Option<(LetId, Vec<Ty>)> {
        let id = self.resolve(name)?;
        Some((id, self.param_types(id)))
    }

    fn let_name(&self, id: LetId) -> String {
        self.qualified(id)
    }

    fn namespace(&self) -> Option<String> {
        self.current.last().cloned().flatten()
    }

    fn let_type(&mut self, id: LetId, used_at: Span) -> Option<Ty> {
        if self.stack.last() != Some(&id) {
            self.used.insert(id);
        }
        match self.states.get(id.0).cloned()? {
            LetState::Done(ty) => Some(ty),
            LetState::Unchecked => {
                self.check(id);
                match self.states.get(id.0) {
                    Some(LetState::Done(ty)) => Some(ty.clone()),
                    _ => None,
                }
            }
            LetState::InProgress => {
                let start = self.stack.iter().position(|entry| *entry == id).unwrap_or(0);
                let names: Vec<String> = self
                    .stack
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .chain(std::iter::once(&id))
                    .filter_map(|entry| self.decls.get(entry.0).map(|decl| format!("`{}`", decl.name.name)))
                    .collect();
                self.errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyLetCycle,
                        format!("these definitions depend on each other: {}", names.join(" → ")),
                        Some(used_at),
                    )
                    .with_help("a `let` cannot be defined, directly or not, in terms of itself"),
                );
                Some(Ty::Error)
            }
        }
    }

    fn let_names(&self) -> Vec<String> {
        self.by_name.keys().cloned().collect()
    }

    fn record_use(&mut self, span: Span, symbol: Symbol) {
        if self.record_symbols {
            self.uses.push((span, symbol));
        }
    }
}

/// A `for x in LIST [where COND]` of a rule or event: the list checked, its element bound.
fn check_for_each(checker: &mut ExprChecker<'_, Lets<'_>>, for_each: &ast::ForEach, scope: &mut Scope) -> ForEachDef {
    let collection = checker.expr(&for_each.collection, scope, None);
    let element = match &collection.ty {
        Ty::List(element) => element.as_ref().clone(),
        Ty::Error => Ty::Error,
        other => {
            let message = format!("this ranges over a list, but this is {}", other.describe());
            checker.errors.push(Diagnostic::new(BuiltinCode::PolicyType, message, Some(collection.span)));
            Ty::Error
        }
    };
    let slot = scope.bind(&for_each.var.name, for_each.var.span, element);
    let filter = for_each.filter.as_ref().map(|filter| checker.condition(filter, scope));
    ForEachDef { slot, collection, filter }
}

/// The events of every policy, with ids `POLICY.NAME`, in the order written.
fn compile_events(policies: &[&ast::PolicyDecl], lets: &mut Lets<'_>) -> Vec<EventDef> {
    let mut out = Vec::new();
    for policy in policies {
        for event in &policy.events {
            let schema = lets.schema;
            let mut errors = Vec::new();
            let mut scope = Scope::default();
            lets.current.push(Some(policy.name.name.clone()));
            let mut checker = ExprChecker { schema, lets, errors: &mut errors };
            let for_each = event.for_each.as_ref().map(|for_each| check_for_each(&mut checker, for_each, &mut scope));
            let date = checker.expr(&event.date, &mut scope, Some(&Ty::Date));
            let date = checker.require_type(date, &Ty::Date, "an event's date");
            lets.current.pop();
            lets.errors.extend(errors);
            out.push(EventDef {
                id: format!("{}.{}", policy.name.name, event.name.name).into(),
                title: event.title.value.clone().into(),
                doc: event.doc.clone().map(Into::into),
                deadline: event.deadline,
                for_each,
                date,
                frame_size: scope.max_slots,
                span: event.span,
            });
        }
    }
    out
}

/// The invariants of every record declaration (and extension), type-checked with `self` the
/// record.
fn compile_invariants(files: &[ast::File], lets: &mut Lets<'_>) -> Vec<InvariantDef> {
    let mut out = Vec::new();
    let records = files.iter().flat_map(|file| &file.items).filter_map(|item| match item {
        ast::Item::Record(decl) => Some(decl),
        _ => None,
    });
    for decl in records {
        for invariant in &decl.invariants {
            let schema = lets.schema;
            let mut errors = Vec::new();
            let mut scope = Scope::default();
            scope.bind("self", decl.name.span, Ty::Record(decl.name.name.clone().into()));
            lets.current.push(None);
            let condition =
                ExprChecker { schema, lets, errors: &mut errors }.condition(&invariant.condition, &mut scope);
            lets.current.pop();
            lets.errors.extend(errors);
            out.push(InvariantDef {
                record: decl.name.name.clone().into(),
                message: invariant.message.value.clone().into(),
                doc: invariant.doc.clone().map(Into::into),
                condition,
                frame_size: scope.max_slots,
                span: invariant.span,
            });
        }
    }
    out
}

/// Where `expr` reads the constitution (or `as_of`, or a `let` that is not a constant), if it
/// does: a `const` may not.
fn reads_the_constitution(expr: &TExpr, decls: &[&ast::LetDecl]) -> Option<Span> {
    let mut pending = vec![expr];
    while let Some(expr) = pending.pop() {
        match &expr.kind {
            TKind::Root | TKind::AsOf => return Some(expr.span),
            TKind::Let(id) | TKind::Call { id, .. } if !decls.get(id.0).is_some_and(|decl| decl.constant) => {
                return Some(expr.span);
            }
            _ => pending.extend(expr.children()),
        }
    }
    None
}

/// The type a parameter annotation names.
fn type_of(schema: &Schema, ty: &TypeExpr) -> Ty {
    match ty {
        TypeExpr::Named(ident) => match ident.name.as_str() {
            "bool" => Ty::Bool,
            "int" => Ty::Int,
            "decimal" => Ty::Decimal,
            "percent" => Ty::Percent,
            "money" => Ty::Money,
            "date" => Ty::Date,
            "duration" => Ty::Duration(super::ir::DurationUnit::Unknown),
            "text" => Ty::Text,
            name if schema.enums.contains_key(name) => Ty::Enum(name.to_owned().into()),
            name if schema.records.contains_key(name) => Ty::Record(name.to_owned().into()),
            _ => Ty::Error,
        },
        TypeExpr::List { element, .. } => Ty::List(Box::new(type_of(schema, element))),
        TypeExpr::Ref(list) => {
            schema.root_record().and_then(|root| root.field(&list.name)).map_or(Ty::Error, |field| {
                match field_ty(&field.ty) {
                    Ty::List(element) => *element,
                    _ => Ty::Error,
                }
            })
        }
    }
}

fn check_param_types(schema: &Schema, decl: &ast::LetDecl, errors: &mut Vec<Diagnostic>) {
    for param in &decl.params {
        if type_of(schema, &param.ty) == Ty::Error {
            let mut names: Vec<&str> = vec!["bool", "int", "decimal", "percent", "money", "date", "duration", "text"];
            names.extend(schema.records.keys().map(String::as_str));
            names.extend(schema.enums.keys().map(String::as_str));
            let written = match &param.ty {
                TypeExpr::Named(ident) | TypeExpr::Ref(ident) => ident.name.clone(),
                TypeExpr::List { .. } => String::new(),
            };
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyUnknownName,
                    format!("no type named `{written}`"),
                    Some(param.ty.span()),
                )
                .with_optional_help(did_you_mean(&written, names)),
            );
        }
    }
}

/// Compiles the `let`s and rules of `files` against `schema`.
pub fn compile(
    files: &[ast::File],
    schema: &Schema,
    errors: &mut Vec<Diagnostic>,
    record_symbols: bool,
) -> (Program, Symbols) {
    let mut let_decls: Vec<&ast::LetDecl> = Vec::new();
    let mut let_namespaces: Vec<Option<String>> = Vec::new();
    let mut table_decls: Vec<&ast::TableDecl> = Vec::new();
    let mut criterion_decls: Vec<&ast::CriterionDecl> = Vec::new();
    let mut policies: Vec<&ast::PolicyDecl> = Vec::new();
    for item in files.iter().flat_map(|file| &file.items) {
        match item {
            ast::Item::Let(decl) => {
                let_decls.push(decl);
                let_namespaces.push(None);
            }
            ast::Item::Table(decl) => table_decls.push(decl),
            ast::Item::Criterion(decl) => criterion_decls.push(decl),
            ast::Item::Policy(policy) => {
                policies.push(policy);
                let_decls.extend(&policy.lets);
                let_namespaces.extend(policy.lets.iter().map(|_| Some(policy.name.name.clone())));
                table_decls.extend(&policy.tables);
            }
            _ => {}
        }
    }
    let tables = compile_tables(schema, &table_decls, &let_decls, errors);
    let mut by_name = BTreeMap::new();
    let mut decls = Vec::new();
    let mut namespaces = Vec::new();
    for (decl, namespace) in let_decls.iter().copied().zip(let_namespaces) {
        let qualified = match &namespace {
            Some(policy) => format!("{policy}.{}", decl.name.name),
            None => decl.name.name.clone(),
        };
        if let Some(first) = by_name.get(&qualified).and_then(|id: &LetId| decls.get(id.0)).copied() {
            let first: &ast::LetDecl = first;
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyDuplicateDefinition,
                    format!("`{}` is defined more than once", decl.name.name),
                    Some(decl.name.span),
                )
                .with_label(first.name.span, "first defined here")
                .with_help("give one of them another name"),
            );
            continue;
        }
        if schema.root_record().and_then(|root| root.field(&decl.name.name)).is_some() || decl.name.name == "as_of" {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyShadowedName,
                    format!("`{}` hides a name of the constitution", decl.name.name),
                    Some(decl.name.span),
                )
                .with_help("choose another name so that rules read unambiguously"),
            );
        }
        check_param_types(schema, decl, errors);
        by_name.insert(qualified, LetId(decls.len()));
        decls.push(decl);
        namespaces.push(namespace);
    }
    let count = decls.len();
    let mut by_short: BTreeMap<String, Vec<LetId>> = BTreeMap::new();
    for (index, decl) in decls.iter().enumerate() {
        by_short.entry(decl.name.name.clone()).or_default().push(LetId(index));
    }
    let mut lets = Lets {
        schema,
        decls,
        by_short,
        namespaces,
        current: Vec::new(),
        by_name,
        states: vec![LetState::Unchecked; count],
        compiled: vec![None; count],
        used: BTreeSet::new(),
        stack: Vec::new(),
        errors: Vec::new(),
        tables: tables
            .iter()
            .enumerate()
            .map(|(index, table)| (table.name.to_string(), (index, table.ty.clone())))
            .collect(),
        uses: Vec::new(),
        record_symbols,
    };
    for index in 0..count {
        if matches!(lets.states.get(index), Some(LetState::Unchecked)) {
            lets.check(LetId(index));
        }
    }
    let mut rules = Vec::new();
    let mut ids: BTreeMap<String, Span> = BTreeMap::new();
    for policy in &policies {
        if RESERVED_PREFIXES.contains(&policy.name.name.as_str()) {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyReservedName,
                    format!(
                        "`{}` is the prefix of trustcheck's own diagnostic codes, so no policy may take it",
                        policy.name.name
                    ),
                    Some(policy.name.span),
                )
                .with_help(format!(
                    "rename the policy; the reserved names are {}",
                    RESERVED_PREFIXES.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                )),
            );
            continue;
        }
        for rule in &policy.rules {
            let id = format!("{}.{}", policy.name.name, rule.name.name);
            if let Some(first) = ids.get(&id) {
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyDuplicateRule,
                        format!("the rule id `{id}` is used twice"),
                        Some(rule.name.span),
                    )
                    .with_label(*first, "first used here")
                    .with_help("every rule needs an id of its own: rename one of them"),
                );
                continue;
            }
            ids.insert(id.clone(), rule.name.span);
            rules.push(compile_rule(id, policy, rule, &mut lets));
        }
    }
    let invariants = compile_invariants(files, &mut lets);
    let events = compile_events(&policies, &mut lets);
    for (index, decl) in lets.decls.iter().enumerate() {
        if !lets.used.contains(&LetId(index)) {
            errors.push(
                Diagnostic::new(
                    BuiltinCode::PolicyUnusedLet,
                    format!("`{}` is defined but never used", decl.name.name),
                    Some(decl.name.span),
                )
                .with_help("use it in a rule, or remove it"),
            );
        }
    }
    errors.append(&mut lets.errors);
    rules.sort_by(|a: &RuleDef, b: &RuleDef| a.id.cmp(&b.id));
    let let_names: Vec<(String, Span)> = (0..lets.decls.len())
        .filter_map(|index| Some((lets.qualified(LetId(index)), lets.decls.get(index)?.name.span)))
        .collect();
    let table_names = table_decls.iter().map(|decl| (decl.name.name.clone(), decl.name.span));
    let symbols = if record_symbols {
        Symbols::new(std::mem::take(&mut lets.uses), let_names, table_names, schema)
    } else {
        Symbols::default()
    };
    let lets = lets.compiled.into_iter().flatten().collect();
    let criteria = compile_criteria(&criterion_decls, &rules, errors);
    (Program { lets, tables, criteria, rules, invariants, events }, symbols)
}

/// The lints of a rule, as warnings (`validate --deny-warnings` makes them fail): no
/// citation, no help, a condition that is a constant, a `law` rule whose citation has no
/// pinpoint provision or no link to legislation.gov.uk, an `at` naming a whole list of entries.
#[allow(clippy::too_many_arguments, reason = "the parts of one rule, checked together")]
fn lint_rule(
    id: &str,
    rule: &ast::RuleDecl,
    status: RuleStatus,
    cites: &[CiteDef],
    whens: &[TExpr],
    requires: &[TExpr],
    at: &[TExpr],
    errors: &mut Vec<Diagnostic>,
) {
    let warn = |code: BuiltinCode, message: String, span: Span, help: &str| {
        Diagnostic::new(code, message, Some(span)).with_help(help.to_owned())
    };
    if cites.is_empty() {
        errors.push(warn(
            BuiltinCode::PolicyNoCitation,
            format!("rule `{id}` cites no provision"),
            rule.header_span,
            "add `cite \"…\" url \"…\"` naming the provision (or the council's policy) it applies",
        ));
    }
    if rule.help.is_none() {
        errors.push(warn(
            BuiltinCode::PolicyNoHelp,
            format!("rule `{id}` says nothing on how to comply"),
            rule.header_span,
            "add `help \"…\"`",
        ));
    }
    for condition in whens.iter().chain(requires) {
        if let (TKind::Literal(value), false) = (&condition.kind, condition.ty == Ty::Error) {
            errors.push(warn(
                BuiltinCode::PolicyConstantCondition,
                format!("this condition is always {value}, so it decides nothing"),
                condition.span,
                "test a fact of the constitution, or remove the condition",
            ));
        }
    }
    let clauses = whens
        .iter()
        .map(|when| (when, "`when`", "so the rule never applies"))
        .chain(requires.iter().map(|require| (require, "`require`", "so the rule fails wherever it applies")));
    for (condition, clause, consequence) in clauses {
        if let Some(found) = contradiction(condition) {
            errors.push(
                warn(
                    BuiltinCode::PolicyConstantCondition,
                    format!("this {clause} can never hold, {consequence}: {}", found.why),
                    condition.span,
                    "correct the condition: one of its parts contradicts another",
                )
                .with_label(found.first, "this part")
                .with_label(found.second, "contradicts this one"),
            );
        }
    }
    if status == RuleStatus::Law {
        for cite in cites {
            let text = &cite.citation.text;
            let pinpoint = ["s.", "reg.", "Sch.", "para.", "art.", "Part ", "section ", "regulation "]
                .iter()
                .any(|marker| text.contains(marker));
            let linked = cite.citation.url.as_deref().is_some_and(|url| url.contains("legislation.gov.uk"));
            if !pinpoint || !linked {
                let missing = match (pinpoint, linked) {
                    (false, false) => "no pinpoint provision and no link to legislation.gov.uk",
                    (false, true) => "no pinpoint provision (a section, regulation, schedule or paragraph)",
                    _ => "no link to legislation.gov.uk",
                };
                errors.push(warn(
                    BuiltinCode::PolicyLawCitation,
                    format!("rule `{id}` is law, but its citation has {missing}"),
                    rule.header_span,
                    "cite the exact provision, for example `cite \"Public Contracts Regulations 2015, reg. 77(5)\" url \"https://www.legislation.gov.uk/uksi/2015/102/regulation/77\"`",
                ));
            }
        }
    }
    for place in at {
        if matches!(&place.ty, Ty::List(element) if matches!(element.as_ref(), Ty::Record(_))) {
            errors.push(warn(
                BuiltinCode::PolicyAtList,
                "`at` names a whole list of entries, so a finding points at all of them".to_owned(),
                place.span,
                "name the field of one element instead, for example `at c.award_route`",
            ));
        }
    }
}

/// Resolves each criterion's areas (policy names) and rule ids to rules.
fn compile_criteria(
    decls: &[&ast::CriterionDecl],
    rules: &[RuleDef],
    errors: &mut Vec<Diagnostic>,
) -> Vec<CriterionDef> {
    let mut criteria: Vec<CriterionDef> = Vec::new();
    for decl in decls {
        if criteria.iter().any(|known| known.name == decl.name.name) {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyDuplicateDefinition,
                format!("the criterion `{}` is defined more than once", decl.name.name),
                Some(decl.name.span),
            ));
            continue;
        }
        let mut drawn: Vec<String> = Vec::new();
        for target in &decl.targets {
            let prefix = format!("{}.", target.name);
            let matched: Vec<&RuleDef> =
                rules.iter().filter(|rule| *rule.id == *target.name || rule.id.starts_with(&prefix)).collect();
            if matched.is_empty() {
                let mut names: Vec<String> = rules.iter().map(|rule| rule.id.to_string()).collect();
                names.extend(rules.iter().filter_map(|rule| rule.id.split_once('.').map(|(area, _)| area.to_owned())));
                let help = did_you_mean(&target.name, names.iter().map(String::as_str));
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyUnknownName,
                        format!("`{}` is neither an area (a policy name) nor a rule id", target.name),
                        Some(target.span),
                    )
                    .with_optional_help(help),
                );
            }
            drawn.extend(matched.into_iter().map(|rule| rule.id.to_string()));
        }
        drawn.sort();
        drawn.dedup();
        if decl.weight == 0 {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyType,
                "a criterion's weight must be at least 1",
                Some(decl.span),
            ));
        }
        criteria.push(CriterionDef {
            name: decl.name.name.clone().into(),
            title: decl.title.value.clone().into(),
            weight: decl.weight,
            doc: decl.doc.clone().map(Into::into),
            rules: drawn.into_iter().map(Into::into).collect(),
        });
    }
    criteria
}

/// Checks and compiles the dated tables: a known value type, every value of it, rows in
/// strictly increasing order, names unique among tables, `let`s and built-in functions.
fn compile_tables(
    schema: &Schema,
    decls: &[&ast::TableDecl],
    lets: &[&ast::LetDecl],
    errors: &mut Vec<Diagnostic>,
) -> Vec<TableDef> {
    let mut tables: Vec<TableDef> = Vec::new();
    let mut spans: BTreeMap<&str, Span> = BTreeMap::new();
    for decl in decls {
        let name = decl.name.name.as_str();
        let clash = spans.get(name).copied().or_else(|| lets.iter().find(|l| l.name.name == name).map(|l| l.name.span));
        if clash.is_some()
            || Builtin::ALL.iter().any(|(builtin, _)| *builtin == name)
            || name == "years"
            || name == "period_of"
        {
            let mut diagnostic = Diagnostic::new(
                BuiltinCode::PolicyDuplicateDefinition,
                format!("`{name}` is defined more than once"),
                Some(decl.name.span),
            )
            .with_help("give the table a name of its own");
            if let Some(first) = clash {
                diagnostic = diagnostic.with_label(first, "first defined here");
            }
            errors.push(diagnostic);
            continue;
        }
        spans.insert(name, decl.name.span);
        let ty = type_of(schema, &TypeExpr::Named(decl.ty.clone()));
        if ty == Ty::Error {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyUnknownName,
                format!("no type named `{}`", decl.ty.name),
                Some(decl.ty.span),
            ));
            continue;
        }
        let mut rows = Vec::new();
        let mut previous: Option<jiff::civil::Date> = None;
        for row in &decl.rows {
            let from = match (row.from, decl.by_financial_year) {
                (ast::TableKey::Date(date), false) => Some(date),
                (ast::TableKey::FinancialYear(year), true) => {
                    i16::try_from(year).ok().and_then(|year| jiff::civil::Date::new(year, 4, 1).ok())
                }
                (ast::TableKey::Date(_), true) => {
                    errors.push(Diagnostic::new(
                        BuiltinCode::PolicyType,
                        "this table is by financial year: write the year it starts, such as 2025",
                        Some(row.span),
                    ));
                    continue;
                }
                (ast::TableKey::FinancialYear(_), false) => {
                    errors.push(Diagnostic::new(
                        BuiltinCode::PolicyType,
                        "this table is by date: write the date the value is in force from, such as 2025-04-01",
                        Some(row.span),
                    ));
                    continue;
                }
            };
            let Some(from) = from else {
                errors.push(Diagnostic::new(BuiltinCode::PolicyType, "this year is out of range", Some(row.span)));
                continue;
            };
            let value = crate::policy::typeck::literal_expr(&row.value, row.span);
            if !crate::policy::typeck::compatible(schema, &ty, &value.ty) {
                errors.push(Diagnostic::new(
                    BuiltinCode::PolicyType,
                    format!("each value of this table must be {}, but this is {}", ty.describe(), value.ty.describe()),
                    Some(row.span),
                ));
                continue;
            }
            if previous.is_some_and(|previous| from <= previous) {
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyType,
                        "rows of a table must be in order, each later than the one before",
                        Some(row.span),
                    )
                    .with_help("put the rows in date order, each date once"),
                );
                continue;
            }
            previous = Some(from);
            rows.push((from, row.value.clone()));
        }
        if decl.rows.is_empty() {
            errors.push(Diagnostic::new(
                BuiltinCode::PolicyType,
                format!("the table `{name}` has no rows"),
                Some(decl.name.span),
            ));
        }
        tables.push(TableDef { name: name.to_owned().into(), ty, by_financial_year: decl.by_financial_year, rows });
    }
    tables
}

fn compile_rule(id: String, policy: &ast::PolicyDecl, rule: &ast::RuleDecl, lets: &mut Lets<'_>) -> RuleDef {
    let schema = lets.schema;
    let mut errors = Vec::new();
    let mut scope = Scope::default();
    lets.current.push(Some(policy.name.name.clone()));
    let mut checker = ExprChecker { schema, lets, errors: &mut errors };
    // The date a waiver period runs from is read from the constitution as a whole, before
    // any element is bound.
    let waivable_from = rule.waivable_from.as_ref().map(|anchor| {
        let anchor = checker.expr(anchor, &mut scope, Some(&Ty::Date));
        checker.require_type(anchor, &Ty::Date, "the date a waiver period runs from")
    });
    let for_each = rule.for_each.as_ref().map(|for_each| check_for_each(&mut checker, for_each, &mut scope));
    let mut conditions = |exprs: &[ast::Expr], checker: &mut ExprChecker<'_, Lets<'_>>| -> Vec<TExpr> {
        exprs.iter().map(|expr| checker.condition(expr, &mut scope)).collect()
    };
    let whens = conditions(&rule.whens, &mut checker);
    let unlesses = conditions(&rule.unlesses, &mut checker);
    let requires = conditions(&rule.requires, &mut checker);
    let cite_source = if rule.cites.is_empty() { &policy.cites } else { &rule.cites };
    let cites: Vec<CiteDef> = cite_source
        .iter()
        .map(|cite| CiteDef {
            citation: Citation {
                text: cite.text.value.clone(),
                url: cite.url.as_ref().map(|url| url.value.clone()),
                verified: cite.verified,
            },
            condition: cite.condition.as_ref().map(|condition| checker.condition(condition, &mut scope)),
        })
        .collect();
    let mut template =
        |template: Option<&ast::Template>, checker: &mut ExprChecker<'_, Lets<'_>>| -> Vec<MessagePart> {
            template
                .map(|template| {
                    template
                        .parts
                        .iter()
                        .map(|part| match part {
                            TemplatePart::Text(text) => MessagePart::Text(text.clone().into()),
                            TemplatePart::Expr(expr) => MessagePart::Expr(checker.expr(expr, &mut scope, None)),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
    let message = template(rule.message.as_ref(), &mut checker);
    let help = template(rule.help.as_ref(), &mut checker);
    let at = rule
        .at
        .iter()
        .map(|at| {
            let checked = checker.expr(at, &mut scope, None);
            if checked.ty != Ty::Error && !matches!(checked.kind, TKind::Field { .. } | TKind::Local(_)) {
                checker.errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyType,
                        "`at` must name a place in the constitution",
                        Some(checked.span),
                    )
                    .with_help("write a field path, for example `at asset_lock.statutory` or `at c.market_test_by`"),
                );
            }
            checked
        })
        .collect::<Vec<TExpr>>();
    if rule.requires.is_empty() {
        checker.errors.push(
            Diagnostic::new(
                BuiltinCode::PolicyType,
                format!("rule `{id}` has no `require` clause"),
                Some(rule.header_span),
            )
            .with_help("say what the rule requires with `require CONDITION`"),
        );
    }
    let status = rule.status.map_or(RuleStatus::default(), |(status, _)| status);
    lint_rule(&id, rule, status, &cites, &whens, &requires, &at, &mut errors);
    if let (Some((RuleStatus::Guidance, span)), Severity::Error) = (rule.status, rule.severity) {
        errors.push(
            Diagnostic::new(
                BuiltinCode::PolicyType,
                format!("rule `{id}` is guidance, so it can be at most a warning, not an error"),
                Some(span),
            )
            .with_help("make it a `warning`, or give it status `law` if statute requires it (citing the provision)"),
        );
    }
    lets.errors.extend(errors);
    lets.current.pop();
    RuleDef {
        id: id.into(),
        severity: rule.severity,
        status,
        waivable: rule.waivable.map(|(waivable, _)| waivable).unwrap_or_default(),
        waivable_from,
        title: rule.title.value.clone().into(),
        doc: rule.doc.clone().map(Into::into),
        for_each,
        cites,
        whens,
        unlesses,
        requires,
        message,
        help,
        at,
        frame_size: scope.max_slots,
        header_span: rule.header_span,
        span: rule.span,
    }
}
