//! What a diagnostic is about: a rule of the policy set, or one of trustcheck's own checks.
//! Each built-in code's name, severity and meaning are defined here once, so no stage
//! chooses a severity or an explanation by matching text.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use super::Severity;

/// The code of a diagnostic: a rule id (`control.step_in`) or a built-in code
/// (`schema.type`). The two never collide: a built-in code's prefix is a reserved policy name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A rule of the policy set, by its id.
    Rule(String),
    /// One of trustcheck's own checks.
    Builtin(BuiltinCode),
}

impl Code {
    /// The code as users read and write it.
    pub fn as_str(&self) -> &str {
        match self {
            Code::Rule(id) => id,
            Code::Builtin(builtin) => builtin.as_str(),
        }
    }

    /// The rule id, when this is a rule's code.
    pub fn rule_id(&self) -> Option<&str> {
        match self {
            Code::Rule(id) => Some(id),
            Code::Builtin(_) => None,
        }
    }

    /// The built-in code, when this is one.
    pub fn builtin(&self) -> Option<BuiltinCode> {
        match self {
            Code::Rule(_) => None,
            Code::Builtin(builtin) => Some(*builtin),
        }
    }
}

impl From<BuiltinCode> for Code {
    fn from(builtin: BuiltinCode) -> Self {
        Code::Builtin(builtin)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Code {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<BuiltinCode> for Code {
    fn eq(&self, other: &BuiltinCode) -> bool {
        *self == Code::Builtin(*other)
    }
}

/// Defines [`BuiltinCode`] from one table: variant, code, severity, meaning.
macro_rules! builtin_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $severity:ident, $meaning:literal;)*) => {
        /// trustcheck's own checks, each with its code, severity and meaning.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum BuiltinCode {
            $($(#[$doc])* $variant,)*
        }

        impl BuiltinCode {
            /// Every built-in code, in the order they are documented.
            pub const ALL: &'static [BuiltinCode] = &[$(BuiltinCode::$variant,)*];

            /// The code as users read it (`schema.type`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(BuiltinCode::$variant => $code,)*
                }
            }

            /// How serious a diagnostic with this code is.
            pub fn severity(self) -> Severity {
                match self {
                    $(BuiltinCode::$variant => Severity::$severity,)*
                }
            }

            /// What the code means, in a sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(BuiltinCode::$variant => $meaning,)*
                }
            }
        }
    };
}

builtin_codes! {
    /// A file could not be read.
    IoRead = "io.read", Error, "A file could not be read.";
    /// A file is not UTF-8 text.
    IoEncoding = "io.encoding", Error, "A file is not UTF-8 text.";
    /// An input is larger than trustcheck checks.
    LimitSize = "limit.size", Error, "An input is larger than trustcheck checks.";
    /// An input nests deeper than trustcheck checks.
    LimitDepth = "limit.depth", Error, "An input nests deeper than trustcheck checks.";
    /// A rule took more work than trustcheck allows on one constitution.
    LimitWork = "limit.work", Error, "Judging a rule took more work than trustcheck allows on one constitution.";
    /// trustcheck stopped on a defect of its own while checking a file.
    LimitInternal = "limit.internal", Error, "trustcheck stopped on a defect of its own while checking a constitution, so that constitution was not checked; the other files were.";
    /// A constitution is not valid TOML.
    TomlSyntax = "toml.syntax", Error, "A constitution is not valid TOML.";
    /// A value has the wrong type.
    SchemaType = "schema.type", Error, "A constitution states a value of the wrong type for its field.";
    /// A value is outside its field's range.
    SchemaRange = "schema.range", Error, "A constitution states a value outside its field's range.";
    /// A required field is missing.
    SchemaMissingField = "schema.missing_field", Error, "A constitution leaves out a field the schema requires.";
    /// A field the schema does not know.
    SchemaUnknownField = "schema.unknown_field", Error, "A constitution states a field the schema does not define.";
    /// A value that is not one of an enum's values.
    SchemaUnknownVariant = "schema.unknown_variant", Error, "A constitution states a value that is not one of its field's allowed values.";
    /// Two list entries share a key.
    SchemaDuplicate = "schema.duplicate", Error, "Two entries of a list share the value that identifies them.";
    /// A reference names no entry.
    SchemaBadReference = "schema.bad_reference", Error, "A reference names no entry of the list it refers to.";
    /// A record that breaks an invariant its schema declares.
    SchemaInvariant = "schema.invariant", Error, "A record of the constitution breaks a condition its schema declares (`invariant` in a record).";
    /// A constitution names a policy that does not apply to it.
    SchemaPolicy = "schema.policy", Error, "A constitution's `policies` list names a policy the policy set does not have.";
    /// A policy file does not parse.
    PolicySyntax = "policy.syntax", Error, "A policy file is not written in the policy language.";
    /// An expression has the wrong type.
    PolicyType = "policy.type", Error, "A policy expression has the wrong type for where it is used.";
    /// A name that is not defined.
    PolicyUnknownName = "policy.unknown_name", Error, "A policy uses a name that nothing defines.";
    /// A name defined twice.
    PolicyDuplicateDefinition = "policy.duplicate_definition", Error, "A policy defines a name twice.";
    /// A rule id used twice.
    PolicyDuplicateRule = "policy.duplicate_rule", Error, "Two rules share an id.";
    /// Definitions that depend on each other.
    PolicyLetCycle = "policy.let_cycle", Error, "Definitions depend on each other in a circle.";
    /// A policy named with a reserved prefix.
    PolicyReservedName = "policy.reserved_name", Error, "A policy is named with a prefix reserved for trustcheck's own codes.";
    /// A policy set with errors, which cannot check constitutions.
    PolicyInvalid = "policy.invalid", Error, "The policy set has errors, so no constitution can be checked against it.";
    /// Arithmetic that could not be done, leaving a rule unjudged.
    PolicyArithmetic = "policy.arithmetic", Error, "Arithmetic in a rule could not be done on this constitution (an overflow or a division by zero), so the rule was not judged.";
    /// A `let` that nothing uses.
    PolicyUnusedLet = "policy.unused_let", Warning, "A `let` is defined but never used.";
    /// A `let` whose name hides a name of the constitution.
    PolicyShadowedName = "policy.shadowed_name", Warning, "A `let` is named like a field of the constitution, which it hides.";
    /// A name of another policy's `let`, written without its policy.
    PolicyUnqualifiedName = "policy.unqualified_name", Warning, "A policy uses another policy's `let` without naming that policy (`procurement.in_house`).";
    /// A rule without a citation.
    PolicyNoCitation = "policy.no_citation", Warning, "A rule cites no provision.";
    /// A rule without help.
    PolicyNoHelp = "policy.no_help", Warning, "A rule does not say how to fix a failure.";
    /// A condition that can only ever be true or false.
    PolicyConstantCondition = "policy.constant_condition", Warning, "A rule's `when` or `require` is the same on every constitution.";
    /// A law rule whose citation is not pinpointed or linked.
    PolicyLawCitation = "policy.law_citation", Warning, "A `law` rule's citation has no pinpoint provision or no legislation.gov.uk link.";
    /// `at` pointing at a whole list.
    PolicyAtList = "policy.at_list", Warning, "A rule's `at` points at a whole list rather than one value.";
    /// A waiver whose expiry date has passed.
    WaiverExpired = "waiver.expired", Warning, "A waiver has expired, so its rule applies again.";
    /// A waiver naming an element the rule does not have.
    WaiverUnusedElement = "waiver.unused_element", Warning, "A waiver names an element its rule does not judge.";
    /// A waiver of a rule that cannot be waived.
    WaiverNotWaivable = "waiver.not_waivable", Error, "A waiver names a rule that cannot be waived.";
    /// A waiver that lasts longer than its rule allows.
    WaiverTooLong = "waiver.too_long", Error, "A waiver lasts longer than its rule allows.";
    /// A waiver of a rule that does not exist.
    WaiverUnknownRule = "waiver.unknown_rule", Error, "A waiver names a rule the policy set does not have.";
    /// A council setting for a rule that does not exist.
    SettingUnknownRule = "setting.unknown_rule", Error, "A council setting names a rule the policy set does not have.";
    /// A council setting the rule's status forbids.
    SettingForbidden = "setting.forbidden", Error, "A council setting changes a rule in a way its status forbids (a law rule cannot be turned off).";
    /// A council setting whose `expires` date has passed.
    SettingExpired = "setting.expired", Warning, "A council setting has expired, so the rule has its own severity again.";
    /// A `trustcheck.toml` that cannot be used.
    ConfigInvalid = "config.invalid", Error, "A `trustcheck.toml` cannot be used.";
}

impl BuiltinCode {
    /// The reserved prefix this code starts with (`schema`).
    pub fn prefix(self) -> &'static str {
        self.as_str().split('.').next().unwrap_or_default()
    }

    /// Whether this is a lint: a warning about how a policy is written, listed by `validate`.
    pub fn is_lint(self) -> bool {
        matches!(
            self,
            BuiltinCode::PolicyUnusedLet
                | BuiltinCode::PolicyUnqualifiedName
                | BuiltinCode::PolicyShadowedName
                | BuiltinCode::PolicyNoCitation
                | BuiltinCode::PolicyNoHelp
                | BuiltinCode::PolicyConstantCondition
                | BuiltinCode::PolicyLawCitation
                | BuiltinCode::PolicyAtList
        )
    }
}

/// The prefixes of built-in codes (and of the language server's own messages): no policy may
/// be named so, so that a code is never both a rule id and a built-in code.
pub const RESERVED_PREFIXES: &[&str] =
    &["toml", "schema", "policy", "limit", "waiver", "setting", "config", "io", "lsp"];

impl fmt::Display for BuiltinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not a built-in code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a built-in code")]
pub struct UnknownCode(pub String);

impl FromStr for BuiltinCode {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        BuiltinCode::ALL.iter().copied().find(|code| code.as_str() == text).ok_or_else(|| UnknownCode(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_has_a_reserved_prefix() {
        for code in BuiltinCode::ALL {
            assert_eq!(code.as_str().parse::<BuiltinCode>(), Ok(*code));
            assert!(RESERVED_PREFIXES.contains(&code.prefix()), "{code} has an unreserved prefix");
        }
        let mut names: Vec<_> = BuiltinCode::ALL.iter().map(|code| code.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), BuiltinCode::ALL.len(), "two variants share a code");
    }

    #[test]
    fn a_rule_id_is_not_a_built_in_code() {
        assert!("control.step_in".parse::<BuiltinCode>().is_err());
        assert_eq!(Code::Rule("control.step_in".into()).rule_id(), Some("control.step_in"));
        assert_eq!(Code::from(BuiltinCode::SchemaType).to_string(), "schema.type");
    }
}
