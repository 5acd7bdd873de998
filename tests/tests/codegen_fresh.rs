//! `generated/` must be exactly what the generator produces from the models.
//!
//! The same check as `cargo xtask codegen --check`, as an ordinary test with
//! a readable diff. To accept the new output, run `cargo xtask codegen`, or
//! rerun this test with `QUERYGEN_BLESS=1`; a failing run never rewrites.

use similar::TextDiff;

const BLESS_ENV: &str = "QUERYGEN_BLESS";

#[test]
fn generated_code_is_fresh() {
    let plan = xtask::plan().unwrap_or_else(|e| panic!("cannot generate: {e}"));
    let problems =
        xtask::check(&plan).unwrap_or_else(|e| panic!("cannot compare with generated/: {e}"));
    if problems.is_empty() {
        return;
    }
    if std::env::var_os(BLESS_ENV).is_some_and(|v| v == "1") {
        xtask::write(&plan).unwrap_or_else(|e| panic!("cannot write generated/: {e}"));
        eprintln!(
            "{BLESS_ENV}=1: rewrote {} file(s) under generated/",
            problems.len()
        );
        return;
    }
    let mut report = String::new();
    for problem in &problems {
        report.push_str(&format!("{problem}\n"));
        if let xtask::Problem::Stale {
            path,
            on_disk,
            expected,
        } = problem
        {
            let diff = TextDiff::from_lines(on_disk, expected);
            let unified = diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{path} (committed)"),
                    &format!("{path} (generated)"),
                )
                .to_string();
            // Large regenerations would drown the report: show the start of each diff.
            let shown: String = unified
                .lines()
                .take(80)
                .map(|l| format!("    {l}\n"))
                .collect();
            report.push_str(&shown);
        }
    }
    panic!(
        "generated/ is out of date ({} file(s)):\n{report}\nRun `cargo xtask codegen` (or rerun with {BLESS_ENV}=1) and commit the result.",
        problems.len()
    );
}
