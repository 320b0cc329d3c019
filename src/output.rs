//! Everything a run writes: tidy CSV files, the JSON manifest, and the
//! terminal summary. A command writes its files into a staging folder and
//! swaps the whole folder in at the end ([`folder`]), so a reader sees one
//! run's complete outputs, never a mix of two runs, and an interrupted run
//! leaves the previous outputs as they were. Each file is also written
//! atomically (a temporary file, then a rename).

pub mod atomic;
pub mod folder;
pub mod manifest;
pub mod profiles;
pub mod progress;
pub mod run;
pub mod sheet;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV cell: the shortest round-trip text of a finite number, empty
    /// for an undefined or non-finite one.
    #[test]
    fn a_cell_is_the_number_or_empty() {
        assert_eq!(cell(Some(0.1)), "0.1");
        assert_eq!(cell(Some(-3.0)), "-3");
        assert_eq!(cell(Some(1e21)), "1000000000000000000000");
        for undefined in [
            None,
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
        ] {
            assert_eq!(cell(undefined), "", "{undefined:?}");
        }
    }
}
