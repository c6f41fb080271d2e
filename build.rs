//! Links the `trustcheck` executable at a fixed address on Linux (glibc), instead of as a
//! position-independent executable.
//!
//! A position-independent executable is relocated by the dynamic loader every time it
//! starts: about 15,000 pointers in its read-only data are rewritten, which touches (and
//! copies) some 80 pages before `main` runs. Linked at a fixed address it needs none of
//! that, and checking one constitution takes about 0.7 ms less. Only the executable's own
//! image loses address randomisation; the stack, the heap and shared libraries keep it.
//! Set `TRUSTCHECK_PIE=1` when building to keep a position-independent executable.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=TRUSTCHECK_PIE");
    let target = |name: &str| std::env::var(name).unwrap_or_default();
    let keep_pie = std::env::var_os("TRUSTCHECK_PIE").is_some_and(|value| value == "1");
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
