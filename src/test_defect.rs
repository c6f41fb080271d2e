//! In debug builds only (the builds the tests run), a way for the tests to stand in for a
//! defect of trustcheck's own, to prove that one is reported and ends in a defined exit code.
//! `TRUSTCHECK_TEST_DEFECT=PLACE` makes trustcheck panic, as a bug would, where [`stop_at`]
//! is called with a place that ends with `PLACE`. The places are `checking:<file as named>`,
//! as a constitution's check starts (so `b.toml` stops the check of every file of that
//! name), and `command`, as a command starts. Release builds have none of this.

/// Panics when `TRUSTCHECK_TEST_DEFECT` is set, not empty, and `place` ends with its value.
#[expect(clippy::panic, reason = "standing in for a defect is this function's whole job")]
pub(crate) fn stop_at(place: &str) {
    let Some(wanted) = std::env::var_os("TRUSTCHECK_TEST_DEFECT") else { return };
    if !wanted.is_empty() && place.ends_with(&*wanted.to_string_lossy()) {
        panic!("a defect stood in for by TRUSTCHECK_TEST_DEFECT at {place}");
    }
}
