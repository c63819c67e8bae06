//! What a Kubernetes release does differently: feature gates and constants.
//! The engine reads behaviour switches only from here.

use crate::time::{MINUTE, Ms};

/// One modelled Kubernetes minor release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// "1.37".
    pub version: &'static str,
    /// MaxJobPodFailureBackOff.
    pub max_pod_failure_backoff: Ms,
    /// JobBackoffLimitPerIndex: FailIndex rules and per-index limits.
    pub backoff_limit_per_index: bool,
}

/// The newest modelled release, the default of scenarios.
pub const NEWEST: &str = "1.37";

/// The profile of a release, or the list of supported ones.
pub fn profile(version: &str) -> Result<Profile, String> {
    match version {
        "1.37" => Ok(Profile {
            version: "1.37",
            max_pod_failure_backoff: 10 * MINUTE,
            backoff_limit_per_index: true,
        }),
        other => Err(format!(
            "Unsupported value: {other:?}: supported values: \"{NEWEST}\""
        )),
    }
}
