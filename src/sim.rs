//! Binds the customs model to the engine: one replication of a model is a
//! run of the event loop whose handlers move each consignment along its
//! stream's route, holding pools for the steps that need them.
//!
//! The hot path allocates nothing: consignments live in a slab whose slots
//! are reused, events are small `Copy` values, pools keep their queues.

mod consignment;
mod metrics;
mod replication;
pub mod trace;

pub use metrics::{Observation, ReplicationResult};
pub use replication::{run_replication, trace_replication};
