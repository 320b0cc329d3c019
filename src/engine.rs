//! The discrete-event engine: simulation time, the event calendar, resource
//! pools with FIFO queues (in priority classes) and working hours, arrival
//! processes, probability distributions and named random streams.
//!
//! Nothing here knows about customs. Time is a plain `f64` in hours since the
//! start of the run (`[h]`); hour 0 is midnight at the start of a day whose
//! weekday the caller supplies to [`WorkingHours`] and [`ArrivalProcess`].

pub mod arrivals;
pub mod calendar;
pub mod distribution;
pub mod hours;
pub mod memory;
pub mod pool;
pub mod rng;

pub use arrivals::{ArrivalProcess, Peak};
pub use calendar::Calendar;
pub use distribution::Dist;
pub use hours::WorkingHours;
pub use pool::{DEFAULT_PRIORITY, Finish, PRIORITY_CLASSES, Pool, Request};
pub use rng::{SimRng, StreamId};

/// Hours in a day and in a week, used by calendars and profiles.
pub const HOURS_PER_DAY: f64 = 24.0;
pub const HOURS_PER_WEEK: usize = 168;
