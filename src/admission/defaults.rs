//! The API server's defaults for a Job (pkg/apis/batch/v1/defaults.go).

use crate::api::Job;

/// The fields of a Job that matter most, after defaulting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobSummary {
    pub name: String,
    /// `None` for a work-queue Job (parallelism set, completions unset).
    pub completions: Option<i32>,
    pub parallelism: i32,
    pub completion_mode: String,
    pub backoff_limit: i32,
    pub restart_policy: Option<String>,
}

impl JobSummary {
    /// Applies `SetDefaults_Job`: completions and parallelism both unset
    /// give 1 and 1; only parallelism unset gives parallelism 1 (completions
    /// stay unset for a work queue); backoffLimit 6; completionMode NonIndexed.
    pub fn of(job: &Job) -> JobSummary {
        let spec = &job.spec;
        let (completions, parallelism) = match (spec.completions, spec.parallelism) {
            (None, None) => (Some(1), 1),
            (completions, parallelism) => (completions, parallelism.unwrap_or(1)),
        };
        JobSummary {
            name: job.metadata.name.clone().unwrap_or_default(),
            completions,
            parallelism,
            completion_mode: spec
                .completion_mode
                .clone()
                .unwrap_or_else(|| "NonIndexed".to_string()),
            backoff_limit: spec.backoff_limit.unwrap_or(6),
            restart_policy: spec.template.spec.restart_policy.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admission::parse_job;

    fn summary(yaml: &str) -> JobSummary {
        JobSummary::of(&parse_job(yaml).unwrap())
    }

    #[test]
    fn neither_completions_nor_parallelism_gives_one_and_one() {
        let s = summary("metadata: {name: a}\nspec: {}\n");
        assert_eq!((s.completions, s.parallelism), (Some(1), 1));
        assert_eq!(s.backoff_limit, 6);
        assert_eq!(s.completion_mode, "NonIndexed");
    }

    #[test]
    fn work_queue_keeps_completions_unset() {
        let s = summary("spec: {parallelism: 3}\n");
        assert_eq!((s.completions, s.parallelism), (None, 3));
    }

    #[test]
    fn completions_only_defaults_parallelism_to_one() {
        let s = summary("spec: {completions: 5}\n");
        assert_eq!((s.completions, s.parallelism), (Some(5), 1));
    }
}
