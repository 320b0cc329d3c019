//! One volume knob: `full_scale_capacity` writes a pool's servers at full
//! volume, and `volume_scale` scales them with the demand (rounded, at
//! least one), so a scenario keeps its utilisation at any scale.

mod common;

use common::{clearsim, refused, repo_path, sweep_text, values};

/// M/M/c at full scale: 9 arrivals an hour, 10 servers of mean 1 h.
const MMC: &str = r#"
name = "scaled_mmc"
seed = 5
replications = 4
horizon_h = 2000
warmup_h = 100
volume_scale = 1.0

[policy]
review_rate = 0.0
inspection_rate = 1.0

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.inspection]
resource = "servers"
duration = { dist = "exponential", mean = 1.0 }

[[resources]]
id = "servers"
site = "port"
full_scale_capacity = 10

[[streams]]
id = "arrivals"
port = "port"
rate_per_h = 9.0
"#;

#[test]
fn capacity_scales_with_the_volume_and_keeps_the_utilisation() {
    let (_dir, reps) = sweep_text(MMC, &["volume_scale=0.5,1,3"]);
    for (scale, servers) in [("0.5", 5.0), ("1", 10.0), ("3", 30.0)] {
        let v = format!("volume_scale={scale}");
        let capacity = values(&reps, &v, "resource=servers", "capacity");
        assert!(capacity.iter().all(|c| *c == servers), "{v}: {capacity:?}");
        // Offered load 0.9 per server at every scale: the utilisation
        // stays within a few standard errors of it.
        let u = values(&reps, &v, "resource=servers", "utilisation");
        let mean = u.iter().sum::<f64>() / u.len() as f64;
        assert!((mean - 0.9).abs() < 0.03, "{v}: utilisation {mean}");
    }
}

#[test]
fn a_scale_that_rounds_pools_far_from_their_share_is_said_once() {
    let national = std::fs::read_to_string(repo_path("scenarios/national.toml")).unwrap();
    let line = "\nvolume_scale = 0.005 ";
    assert!(
        national.contains(line),
        "national.toml's volume_scale line changed"
    );
    let at = |scale: &str| {
        let text = national.replacen(line, &format!("\nvolume_scale = {scale} "), 1);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("national.toml");
        std::fs::write(&file, text).unwrap();
        let out = clearsim(&["validate", file.to_str().unwrap()]);
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    // The file's own scale and four times it: every pool rounds exactly.
    // (Other warnings, such as a pool overloaded during Double 11, may
    // remain; none is about rounding.)
    for scale in ["0.005", "0.02"] {
        let err = at(scale);
        assert!(!err.contains("full_scale_capacity"), "{scale}: {err}");
    }
    // A fifth of it: most pools would have a fraction of a server and get
    // one; one warning says how many, not one per pool.
    let err = at("0.001");
    assert_eq!(err.matches("full_scale_capacity").count(), 1, "{err}");
    assert!(
        err.contains("at volume_scale 0.001, 89 pools scaled to whole servers (at least one) are more than 25% from their share of the volume"),
        "{err}"
    );
}

#[test]
fn capacity_is_written_one_way() {
    let both = MMC.replace(
        "full_scale_capacity = 10",
        "full_scale_capacity = 10\ncapacity = 10",
    );
    let err = refused(&both);
    assert!(
        err.contains("resources[0].full_scale_capacity: give capacity (servers as written) or full_scale_capacity"),
        "{err}"
    );
    let negative = MMC.replace("full_scale_capacity = 10", "full_scale_capacity = -1");
    let err = refused(&negative);
    assert!(
        err.contains(
            "resources[0].full_scale_capacity: got -1; expected a whole number of servers >= 0"
        ),
        "{err}"
    );
    let neither = MMC.replace("full_scale_capacity = 10\n", "");
    let err = refused(&neither);
    assert!(err.contains("resources[0].capacity: "), "{err}");
    assert!(err.contains("full_scale_capacity"), "{err}");
}
