//! `trustcheck schema --json-schema`: the constitution format of the policy set as a JSON
//! Schema (draft-07), for TOML editors such as Taplo and "Even Better TOML"; `--markdown`:
//! the same as a reference for people.

use clap::Args;

use super::Context;
use super::options::PolicyArgs;
use super::output::write_out;
use super::rules::valid_policy_set;

/// Flags of `schema`.
#[derive(Clone, Debug, Default, Args)]
pub struct SchemaArgs {
    /// Write the constitution format as a JSON Schema (draft-07) for TOML editors, for
    /// example `trustcheck schema --json-schema > trustcheck.schema.json`.
    #[arg(long, required_unless_present = "markdown", conflicts_with = "markdown")]
    pub json_schema: bool,
    /// Write the constitution format as a Markdown reference (every record, field, type,
    /// default and enum value, with their documentation).
    #[arg(long)]
    pub markdown: bool,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Runs `schema` and returns its exit code (2 when the policy set does not validate).
pub fn run(args: &SchemaArgs, context: &mut Context<'_>) -> u8 {
    let Some(policies) = valid_policy_set(&args.policy, context) else {
        return 2;
    };
    let text = if args.markdown {
        crate::schema_doc::markdown(policies.schema())
    } else {
        crate::json_schema::render(policies.schema())
    };
    if write_out(context, &text) { 0 } else { 2 }
}
