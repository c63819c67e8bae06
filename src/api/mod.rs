//! The typed subset of the Kubernetes API objects that the simulation reads.
//!
//! Field names follow the API's JSON names. Fields the simulation does not
//! read are not modelled here.

pub mod cronjob;
#[rustfmt::skip]
mod enums;
pub mod job;

pub use cronjob::CronJobSpec;
pub use enums::*;
pub use job::*;
