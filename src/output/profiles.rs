//! The curves of a run, averaged across replications: `timeseries.csv`
//! (queue length and utilisation of each resource per time bin) and
//! `distribution.csv` (release-time quantiles, i.e. the CDF). The charts are
//! drawn from these files.

use crate::sim::{Profile, ReplicationResult};
use crate::stats::Estimate;

pub const TIMESERIES_HEADER: [&str; 7] = [
    "variant",
    "resource",
    "metric",
    "time_h",
    "mean",
    "ci95_half_width",
    "reps",
];
pub const DISTRIBUTION_HEADER: [&str; 6] = [
    "variant",
    "group",
    "p",
    "release_time_h",
    "ci95_half_width",
    "reps",
];

/// One point of a curve, estimated across replications.
struct Point<'a> {
    profile: &'a Profile,
    x: f64,
    estimate: Estimate,
}

/// Every point of every curve of a variant: the p-th quantile (or the
/// bin's mean) averaged over replications, with its 95% half-width.
/// Replications list the same curves in the same order (one model).
fn points(results: &[ReplicationResult]) -> Vec<Point<'_>> {
    let Some(first) = results.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, profile) in first.profiles.iter().enumerate() {
        for (j, &(x, _)) in profile.points.iter().enumerate() {
            let values = results.iter().map(|r| r.profiles[i].points[j].1);
            out.push(Point {
                profile,
                x,
                estimate: Estimate::from_values(values),
            });
        }
    }
    out
}

fn num(v: Option<f64>) -> String {
    crate::output::cell(v)
}

/// `timeseries.csv` and `distribution.csv`, or `None` when no replication
/// recorded curves.
pub fn profile_csvs(
    variants: &[(&str, &[ReplicationResult])],
) -> anyhow::Result<Option<(Vec<u8>, Vec<u8>)>> {
    if variants
        .iter()
        .all(|(_, rs)| rs.iter().all(|r| r.profiles.is_empty()))
    {
        return Ok(None);
    }
    let mut series = crate::output::sheet::SheetWriter::new();
    let mut dist = crate::output::sheet::SheetWriter::new();
    series.row(TIMESERIES_HEADER)?;
    dist.row(DISTRIBUTION_HEADER)?;
    for (variant, results) in variants {
        for p in points(results) {
            let (mean, hw, n) = (
                num(p.estimate.mean),
                num(p.estimate.half_width),
                p.estimate.n.to_string(),
            );
            let x = p.x.to_string();
            let group = p.profile.group.as_str();
            match p.profile.metric {
                "release_time_h" => dist.row([variant, group, &x, &mean, &hw, &n])?,
                metric => {
                    let resource = group.strip_prefix("resource=").unwrap_or(group);
                    series.row([variant, resource, metric, &x, &mean, &hw, &n])?
                }
            }
        }
    }
    Ok(Some((series.into_bytes()?, dist.into_bytes()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replication(release: [f64; 2], queue: f64) -> ReplicationResult {
        ReplicationResult {
            profiles: vec![
                Profile {
                    group: "all".into(),
                    metric: "release_time_h",
                    points: vec![(0.5, Some(release[0])), (0.9, Some(release[1]))],
                },
                Profile {
                    group: "resource=officers".into(),
                    metric: "queue_len",
                    points: vec![(0.0, Some(queue)), (24.0, None)],
                },
            ],
            ..ReplicationResult::observed(0, 0, &[])
        }
    }

    /// Each curve point averaged over the replications, with its half-width
    /// and count: release-time quantiles in `distribution.csv`, pool series
    /// in `timeseries.csv` (the resource without its `resource=`).
    #[test]
    fn each_point_is_averaged_over_the_replications() {
        let results = [replication([2.0, 6.0], 1.0), replication([4.0, 8.0], 3.0)];
        // Every pair of values here differs by 2: the same half-width.
        let hw = Estimate::from_values([Some(2.0), Some(4.0)])
            .half_width
            .unwrap()
            .to_string();
        let (series, dist) = profile_csvs(&[("base", &results)]).unwrap().unwrap();
        assert_eq!(
            String::from_utf8(dist).unwrap(),
            format!(
                "variant,group,p,release_time_h,ci95_half_width,reps\n\
                 base,all,0.5,3,{hw},2\n\
                 base,all,0.9,7,{hw},2\n"
            )
        );
        assert_eq!(
            String::from_utf8(series).unwrap(),
            format!(
                "variant,resource,metric,time_h,mean,ci95_half_width,reps\n\
                 base,officers,queue_len,0,2,{hw},2\n\
                 base,officers,queue_len,24,,,0\n"
            )
        );
    }

    /// No replication recorded curves: no files.
    #[test]
    fn no_curves_no_files() {
        let mut r = replication([1.0, 2.0], 1.0);
        r.profiles.clear();
        assert!(profile_csvs(&[("base", &[r])]).unwrap().is_none());
    }
}
