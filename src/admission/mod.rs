//! What the API server does with a manifest before the controllers see it:
//! decoding, defaulting and validation, worded as kubectl prints it.

mod cronjob;
mod decode;
mod defaults;
mod go_value;
mod job;
mod locate;
mod names;
pub(crate) mod patch;
mod pod;
mod policy;
pub mod quantity;
#[rustfmt::skip]
pub mod strict;
pub(crate) mod tree;
mod validation;
mod versions;
mod warnings;

pub use cronjob::{AdmittedCronJob, admit_cron_job, update_cron_job};
pub use decode::{Diagnostic, ManifestError, check_manifest, parse_yaml};
pub use job::{AdmissionError, AdmittedJob, JobState, admit_job, update_job};
pub use locate::{Frame, Outline, key_of, locate};
pub use patch::merge_patch;
pub use validation::{ErrorKind, FieldError, Invalid, go_quote};

/// What the API server stored for a manifest.
#[derive(Clone, Debug, PartialEq)]
pub enum Admitted {
    Job(Box<AdmittedJob>),
    CronJob(AdmittedCronJob),
}

/// `time.LoadLocation` succeeding for a name.
pub fn zone_exists(name: &str) -> bool {
    crate::tz::Tz::named(name).is_some()
}

/// Admits a Job or a CronJob, by its `kind`, created with this UID.
pub fn admit(
    manifest: &crate::yaml::Value,
    uid: &str,
    profile: &crate::sim::profile::Profile,
) -> Result<Admitted, AdmissionError> {
    if manifest.get("kind").and_then(crate::yaml::Value::as_str) == Some("CronJob") {
        admit_cron_job(manifest, uid, profile, &zone_exists).map(Admitted::CronJob)
    } else {
        admit_job(manifest, uid, profile).map(|j| Admitted::Job(Box::new(j)))
    }
}
