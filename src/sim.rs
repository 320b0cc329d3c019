//! Binds the customs model to the engine: one replication of a model is a
//! run of the event loop whose handlers move each consignment along its
//! stream's route, holding pools for the steps that need them.
//!
//! The hot path allocates nothing: consignments live in a slab whose slots
//! are reused, events are small `Copy` values, pools keep their queues.

pub mod ceiling;
mod consignment;
pub mod metrics;
mod replication;
pub mod trace;

pub use ceiling::{Ceiling, Divergence};
pub use metrics::{Observation, Profile, Record, ReplicationResult, quantile_probabilities};
pub use replication::{run_replication, run_replication_with, trace_replication};
