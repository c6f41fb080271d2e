//! Bounds on input size, nesting depth and evaluation work, so that no input can make
//! trustcheck crash, hang or overflow its stack.

/// The largest file read, in bytes (policy file or constitution).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The deepest nesting of brackets and prefix operators accepted in a policy file.
pub const MAX_POLICY_DEPTH: usize = 128;

/// The most evaluation steps spent on one constitution.
pub const MAX_EVAL_STEPS: u64 = 5_000_000;

/// Stack the parser and checker must have left before they start: input at the nesting limit
/// needs under 512 KiB (measured), so this leaves a wide margin.
pub const PARSER_STACK_RED_ZONE: usize = 1024 * 1024;

/// Stack set aside, on the heap, when a thread has less than the red zone left.
pub const PARSER_STACK_BYTES: usize = 8 * 1024 * 1024;
