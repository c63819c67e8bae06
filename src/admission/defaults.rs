//! A short summary of a Job after the API server's defaults.

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
    /// The summary after the API server's defaults (`set_defaults`).
    pub fn of(job: &Job) -> JobSummary {
        let mut spec = job.spec.clone();
        super::set_defaults(&mut spec);
        JobSummary {
            name: job.metadata.name.clone().unwrap_or_default(),
            completions: spec.completions,
            parallelism: spec.parallelism.unwrap_or(1),
            completion_mode: spec.completion_mode.unwrap_or_default(),
            backoff_limit: spec.backoff_limit.unwrap_or_default(),
            restart_policy: job.spec.template.spec.restart_policy.clone(),
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
