//! Charts drawn with plotters, written as SVG and PNG.
//!
//! Charts are drawn from the files a run leaves in its output directory,
//! never from live simulation state, so `clearsim plot DIR` redraws exactly
//! what the run drew, without re-running.

pub mod font;
