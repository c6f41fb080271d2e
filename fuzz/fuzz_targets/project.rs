//! Any text as a `trustcheck.toml`: read into a project, its settings checked against the
//! standard library (those that read, beside the file's mistakes, when it has some), and
//! every problem rendered: never a panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use trustcheck::PolicySet;
use trustcheck::project::Project;

static POLICIES: LazyLock<PolicySet> = LazyLock::new(PolicySet::standard);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = String::from_utf8(data.to_vec()) else { return };
    let as_of = jiff::civil::date(2026, 11, 23);
    let report = match Project::from_text(Path::new("/project"), ".", text) {
        Ok(project) => match project.settings_for(&POLICIES, as_of) {
            Ok((_, expired)) => expired,
            Err(report) => Some(report),
        },
        Err(error) => Some(error.with_settings_checked(&POLICIES, as_of).into_report(as_of)),
    };
    if let Some(report) = report {
        let _ = trustcheck::report::json::render(&report);
        let _ = report.render_plain();
    }
});
