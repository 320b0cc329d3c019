//! Tax review by goods category at the tax collection and management
//! centres (`policy.tax_review = "by_category"`), on the blind-spots study:
//! two ports under local rules, importers free to pick either, and two
//! centres staffed with the ports' reviewers. Sweeps share their
//! replication seeds, so the comparisons are paired.

mod common;

use common::{ok, paired_above, read_reps, repo_path, values};

const STUDY: &str = "scenarios/studies/integration_blind_spots.toml";

fn sweep(settings: &[&str]) -> (tempfile::TempDir, common::Reps) {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path(STUDY);
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ];
    for s in settings {
        args.extend(["--set", s]);
    }
    ok(&args);
    let reps = read_reps(dir.path());
    (dir, reps)
}

#[test]
fn one_national_rulebook_for_tax_review_closes_the_tax_blind_spot() {
    let (_dir, reps) = sweep(&["policy.tax_review=local,by_category"]);
    let (local, central) = ("policy.tax_review=local", "policy.tax_review=by_category");
    let get = |v: &str, g: &str, m: &str| values(&reps, v, g, m);
    // Under local rules undervaluers land where review is laxest; with one
    // rulebook per category that port no longer exists for them.
    paired_above(
        "leakage, local tax review − by category",
        get(local, "all", "leakage"),
        get(central, "all", "leakage"),
    );
    paired_above(
        "revenue evaded, local tax review − by category",
        get(local, "all", "revenue_evaded_yuan"),
        get(central, "all", "revenue_evaded_yuan"),
    );
    // The review work moved: the ports' reviewers are idle, the centres'
    // are not; inspection stayed at the ports.
    for r in 0..get(local, "all", "leakage").len() {
        for pool in ["tianjin_reviewers", "huanghua_reviewers"] {
            assert!(get(local, &format!("resource={pool}"), "entered")[r] > 0.0);
            assert_eq!(get(central, &format!("resource={pool}"), "entered")[r], 0.0);
        }
        for pool in ["shanghai_tax_reviewers", "guangzhou_tax_reviewers"] {
            assert_eq!(get(local, &format!("resource={pool}"), "entered")[r], 0.0);
            assert!(get(central, &format!("resource={pool}"), "entered")[r] > 0.0);
        }
        assert!(get(central, "resource=tianjin_inspection_teams", "entered")[r] > 0.0);
    }
}

#[test]
fn centres_add_nothing_to_a_region_that_already_has_one_rulebook() {
    // The region integrated on pooled data, reviews after release: the
    // centres' rules are the region's, and release no longer waits for a
    // review, so moving the reviews to them changes no consignment's fate.
    let (_dir, reps) = sweep(&[
        "regions.jingjinji.integrated=true",
        "policy.pooled_data_gain=1.2",
        "policy.tax_timing=after_release",
        "policy.tax_review=local,by_category",
    ]);
    let prefix = "regions.jingjinji.integrated=true;policy.pooled_data_gain=1.2;policy.tax_timing=after_release;policy.tax_review=";
    for metric in [
        "leakage",
        "revenue_evaded_yuan",
        "release_time_mean_h",
        "revenue_recovered_yuan",
    ] {
        let a = values(&reps, &format!("{prefix}local"), "all", metric);
        let b = values(&reps, &format!("{prefix}by_category"), "all", metric);
        assert_eq!(a, b, "{metric}");
    }
}

#[test]
fn tax_centre_mistakes_are_located_errors() {
    let text = std::fs::read_to_string(repo_path(STUDY))
        .unwrap()
        .replace("category = \"chemicals\"", "category = \"chemical\"")
        .replace(
            "kind = \"customs\"\nregion = \"jingjinji\"\n[sites.supervision]          # its own rules",
            "kind = \"customs\"\nregion = \"jingjinji\"\ncategories = [\"textiles\"]\n[sites.supervision]          # its own rules",
        )
        .replace("pooled_data_gain = 1.0\n", "pooled_data_gain = 1.0\ntax_review = \"by_category\"\n");
    let err = common::refused(&text);
    assert!(
        err.contains("streams[1].category: no tax centre reviews category \"chemical\"; the centres' categories are chemicals, machinery"),
        "{err}"
    );
    assert!(
        err.contains(".categories: categories apply only to a site of kind \"tax_centre\""),
        "{err}"
    );
}
