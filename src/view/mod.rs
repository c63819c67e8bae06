//! Views of a run's trace: the JSON report, kubectl-style text, and the
//! per-instant state of pods that timelines are drawn from.

pub mod behavior;
pub mod cronjob;
pub mod describe;
pub mod explain;
pub mod inject;
pub mod kubectl;
pub mod overview;
pub mod pods;
pub mod report;
pub mod tabwriter;
pub mod timeline;
pub mod window;

/// The Kubernetes releases a scenario can pick (`kubernetesVersion`), and
/// the default.
pub use crate::sim::profile::{NEWEST as NEWEST_RELEASE, versions as releases};
