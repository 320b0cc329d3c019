//! Streaming statistics: nothing here stores one value per consignment.
//!
//! - [`TimeWeighted`]: the time average of a piecewise-constant quantity
//!   (queue length, busy servers, consignments in the system).
//! - [`Tally`]: count, mean and standard deviation of observations (Welford).
//! - [`DurationHistogram`]: quantiles of durations through an HDR histogram.
//! - [`BinnedSeries`]: the same, averaged over fixed time bins (time series).
//! - [`ci`]: means and Student-t confidence intervals across replications.

pub mod ci;
pub mod histogram;
pub mod series;
pub mod tally;
pub mod timeweighted;

pub use ci::{Estimate, student_t_quantile};
pub use histogram::DurationHistogram;
pub use series::BinnedSeries;
pub use tally::Tally;
pub use timeweighted::TimeWeighted;
