//! Which groups a summary holds (docs/guide/reference.md, `summary.csv`):
//! a `stream=<id>` group for each stream only when there are several, since
//! with one it would repeat `all` line for line.

mod common;

use common::{read_summary, run_text};

const TWO_STREAMS: &str = r#"
name = "groups"
seed = 3
replications = 2
horizon_h = 300
[policy]
review_rate = 0.0
inspection_rate = 0.5
[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.inspection]
resource = "inspectors"
duration = { dist = "exponential", mean = 0.5 }
[[resources]]
id = "inspectors"
site = "port"
capacity = 4
[[streams]]
id = "a"
port = "port"
rate_per_h = 2.0
[[streams]]
id = "b"
port = "port"
rate_per_h = 1.0
"#;

fn stream_groups(text: &str) -> Vec<String> {
    let run = run_text(text);
    let mut groups: Vec<String> = read_summary(&run.out)
        .into_keys()
        .map(|(group, _)| group)
        .filter(|g| g.starts_with("stream="))
        .collect();
    groups.sort();
    groups.dedup();
    groups
}

#[test]
fn a_stream_group_appears_only_beside_another() {
    assert_eq!(stream_groups(TWO_STREAMS), ["stream=a", "stream=b"]);
    let (one, _) = TWO_STREAMS.split_once("[[streams]]\nid = \"b\"").unwrap();
    assert_eq!(stream_groups(one), Vec::<String>::new());
}
