//! Bounds on input size, nesting depth and evaluation work, so that no input can make
//! trustcheck crash, hang or overflow its stack.

/// The largest file read, in bytes (policy file or constitution).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The deepest nesting of brackets and prefix operators accepted in a policy file.
pub const MAX_POLICY_DEPTH: usize = 128;

/// The most evaluation steps spent on one constitution.
pub const MAX_EVAL_STEPS: u64 = 5_000_000;

/// Stack size of the thread that parses and checks policy files.
pub const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;
