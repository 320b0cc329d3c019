//! clearsim: a discrete-event simulator of customs clearance integration.
//!
//! Consignments (general-trade goods, cross-border e-commerce parcels, postal
//! articles) arrive at ports and are declared, screened, reviewed, inspected,
//! taxed and released under a clearance mode. clearsim measures what the
//! mode, the inspection rate and the staffing do to release times,
//! throughput, detection and revenue, with confidence intervals across
//! independent replications.
//!
//! Data flows one way:
//!
//! ```text
//! scenario file (TOML) ──parse──▶ raw structs ──validate──▶ Scenario (typed, checked)
//! Scenario ──build──▶ Model (sites, pools, streams, routes, policy)
//! Model + seed ──▶ sim (engine: clock + event calendar + pools) ──▶ streaming stats
//! experiment (replications in parallel) ──▶ Summary ──▶ CSV / JSON / terminal table
//! ```
//!
//! - [`engine`]: time, event calendar, pools, calendars, arrivals, distributions,
//!   random streams. Knows nothing about customs.
//! - [`scenario`]: the file format, its parsing and validation.
//! - [`model`]: the customs world as typed values: sites, pools, demand streams,
//!   clearance routes; who decides a consignment's checks (a customs' own
//!   rules, its region's once integrated, or the nation's:
//!   [`model::supervision`]); screening on a security and a tax score, and
//!   where arbitraging importers take their goods (`model::screening`).
//!   Knows nothing about files.
//! - [`sim`]: the event handlers that move consignments through their route.
//! - [`stats`]: streaming statistics and confidence intervals.
//! - [`experiment`]: replications in parallel, ordered, deterministic.
//! - [`output`]: tidy CSV, the manifest, atomic writes, the terminal table.
//! - [`demo`]: the trainers' demonstration: a few consignments followed
//!   through each mode, narrated and drawn as swimlanes, and played with a
//!   thinned crowd around them in `demo.html` (`--html`).

pub mod cli;
pub mod demo;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod output;
pub mod plot;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
