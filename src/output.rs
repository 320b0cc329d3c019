//! Everything a run writes: tidy CSV files, the JSON manifest, and the
//! terminal summary. Files are written atomically (a temporary file in the
//! same directory, then a rename), so a reader never sees half a file and an
//! interrupted run never leaves one behind.

pub mod atomic;
pub mod manifest;
pub mod profiles;
pub mod progress;
pub mod run;
pub mod sweep;
pub mod table;
pub mod tidy;

pub use atomic::write_atomic;

/// A number as a CSV cell: empty when undefined. A value that is not a
/// finite number (NaN, infinite) is undefined too: no CSV file clearsim
/// writes ever holds `inf` or `NaN`.
pub fn cell(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| x.to_string())
        .unwrap_or_default()
}
pub use manifest::Manifest;
