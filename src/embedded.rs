//! The standard policy library, compiled into the binary.
//!
//! Its files are shown to users as `std/NAME.policy`.

/// The embedded policy files: (display name, text), in a fixed order.
pub const STANDARD_LIBRARY: &[(&str, &str)] = &[
    ("std/schema.policy", include_str!("../policies/schema.policy")),
    ("std/structure.policy", include_str!("../policies/structure.policy")),
    ("std/asset_lock.policy", include_str!("../policies/asset_lock.policy")),
    ("std/control.policy", include_str!("../policies/control.policy")),
    ("std/procurement.policy", include_str!("../policies/procurement.policy")),
    ("std/market_testing.policy", include_str!("../policies/market_testing.policy")),
    ("std/staff.policy", include_str!("../policies/staff.policy")),
    ("std/children.policy", include_str!("../policies/children.policy")),
    ("std/subsidy.policy", include_str!("../policies/subsidy.policy")),
    ("std/criteria.policy", include_str!("../policies/criteria.policy")),
];

/// The standard library compiled ahead of time (see [`crate::policy::artifact`]); empty or
/// stale bytes are ignored. A `static`, not a `const`, so that it has one address, which
/// [`crate::ir_text`] relies on to recognise text read from it.
pub static ARTIFACT: &[u8] = include_bytes!("policy/standard.postcard");
