//! batch/v1 CronJob as far as the CronJob controller reads it.

use super::ConcurrencyPolicy;
use crate::admission::tree::{bool_at, get, int_at, str_at};
use crate::yaml::Value;

/// batch/v1 CronJobSpec (after defaulting).
#[derive(Clone, Debug, PartialEq)]
pub struct CronJobSpec {
    pub schedule: String,
    pub time_zone: Option<String>,
    pub starting_deadline_seconds: Option<i64>,
    pub concurrency_policy: ConcurrencyPolicy,
    pub suspend: bool,
    pub successful_jobs_history_limit: Option<i64>,
    pub failed_jobs_history_limit: Option<i64>,
    /// `spec.jobTemplate` (metadata and spec) as stored.
    pub job_template: Value,
}

impl CronJobSpec {
    pub fn read(spec: &Value) -> CronJobSpec {
        CronJobSpec {
            schedule: str_at(spec, "schedule").unwrap_or_default().to_string(),
            time_zone: str_at(spec, "timeZone").map(str::to_string),
            starting_deadline_seconds: int_at(spec, "startingDeadlineSeconds"),
            // Defaulted to Allow; admission has refused any other value.
            concurrency_policy: str_at(spec, "concurrencyPolicy")
                .and_then(ConcurrencyPolicy::parse)
                .unwrap_or(ConcurrencyPolicy::Allow),
            suspend: bool_at(spec, "suspend") == Some(true),
            successful_jobs_history_limit: int_at(spec, "successfulJobsHistoryLimit"),
            failed_jobs_history_limit: int_at(spec, "failedJobsHistoryLimit"),
            job_template: get(spec, "jobTemplate").cloned().unwrap_or(Value::Null),
        }
    }
}
