//! What each Kubernetes release does differently for Jobs and CronJobs:
//! feature gates at their default state, constants, and message variants.
//! The engine and admission read version-dependent behaviour only from
//! here; README's version table is generated from `ITEMS` (a test keeps
//! it in step). docs/versions.md gives the source of each row.

use crate::time::{MINUTE, Ms, SECOND};

/// The state of a feature gate in a release's default configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// The field does not exist: kubectl's strict validation rejects it as
    /// an unknown field.
    Absent,
    /// Alpha, off by default: the API server silently drops the field.
    Off,
    On,
}

/// One modelled Kubernetes minor release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// "1.37".
    pub version: &'static str,
    /// 37.
    pub minor: u32,
    /// The pod-failure backoff cap (MaxJobBackOff 6 min, then
    /// MaxJobPodFailureBackOff 10 min from 1.28).
    pub max_pod_failure_backoff: Ms,
    /// JobPodFailurePolicy: `spec.podFailurePolicy`.
    pub pod_failure_policy: Gate,
    /// PodDisruptionConditions: evictions add `DisruptionTarget` to pods.
    pub disruption_target: bool,
    /// JobBackoffLimitPerIndex: backoffLimitPerIndex, maxFailedIndexes,
    /// FailIndex.
    pub backoff_limit_per_index: Gate,
    /// JobPodReplacementPolicy: podReplacementPolicy and status.terminating.
    pub pod_replacement_policy: Gate,
    /// JobSuccessPolicy: successPolicy.
    pub success_policy: Gate,
    /// JobManagedBy: spec.managedBy.
    pub managed_by: Gate,
    /// SidecarContainers: init containers with `restartPolicy: Always`.
    pub sidecars: Gate,
    /// The `batch.kubernetes.io/` job-name and controller-uid labels, and
    /// the selector on `batch.kubernetes.io/controller-uid` (else the
    /// legacy `controller-uid`).
    pub batch_labels: bool,
    /// The Job annotation `batch.kubernetes.io/job-tracking: ""`.
    pub job_tracking_annotation: bool,
    /// PodIndexLabel: the completion-index pod label (and
    /// JOB_COMPLETION_INDEX read from it rather than the annotation).
    pub pod_index_label: bool,
    /// ElasticIndexedJob: completions may change with parallelism.
    pub elastic_indexed: bool,
    /// Failed/Complete wait for every pod to terminate, after
    /// FailureTarget/SuccessCriteriaMet (1.31+); before, they were set at
    /// once.
    pub terminal_conditions_wait: bool,
    /// FailureTarget for a FailJob rule (1.26+, when terminal conditions
    /// did not wait yet).
    pub failure_target_for_fail_job: bool,
    /// Complete's reason and message (CompletionsReached, 1.31+; empty
    /// before).
    pub complete_reason: bool,
    /// RelaxedEnvironmentVariableValidation: any printable env name but '='.
    pub relaxed_env_names: bool,
    /// SetDefaults_Job also defaults `manualSelector: false`.
    pub manual_selector_default: bool,
    /// MutableSchedulingDirectivesForSuspendedJobs (1.36+, with
    /// MutablePodResourcesForSuspendedJobs): a suspended Job that has
    /// already started may change its scheduling directives and resources,
    /// and suspending a Job clears `status.startTime`, so that
    /// activeDeadlineSeconds counts from the resume.
    pub mutable_suspended_jobs: bool,
    /// ContainerRestartRules: a container's own `restartPolicy` and
    /// `restartPolicyRules` (restart in place on chosen exit codes).
    pub container_restart_rules: Gate,
    /// RestartAllContainersOnContainerExits: the rule action
    /// `RestartAllContainers`, and rules on sidecars.
    pub restart_all_containers: Gate,
    /// The container restart-rule limits say "Too many: N: must have at
    /// most 20 items" (1.36+) rather than "Too long: may not be more than
    /// 20 bytes".
    pub restart_rule_limits_too_many: bool,
    /// field.Error renders a structured bad value as the JSON of the
    /// internal Go type (1.34+) rather than Go's `%#v`.
    pub field_values_as_json: bool,
    /// CronJob: `TZ=` in spec.schedule is rejected on create (1.27+).
    pub cron_tz_in_schedule_rejected: bool,
    /// CronJobsScheduledAnnotation: the scheduled time on each Job.
    pub cron_scheduled_annotation: bool,
    /// TooManyMissedTimes carries the count (up to 1.27).
    pub cron_missed_count_in_message: bool,
    /// SawCompletedJob says `condition:` (1.31+) rather than `status:`.
    pub cron_saw_completed_condition: bool,
    /// History cleanup runs before scheduling (1.29+), not after.
    pub cron_cleanup_first: bool,
    /// lastSuccessfulTime is set in the sync that sees the Job finish
    /// (1.31+), not in a later one.
    pub cron_last_successful_same_sync: bool,
}

/// The oldest and newest modelled releases (minor versions of 1.x).
pub const OLDEST_MINOR: u32 = 25;
pub const NEWEST_MINOR: u32 = 37;
/// The newest modelled release, the default of scenarios.
pub const NEWEST: &str = "1.37";

const VERSIONS: [&str; 13] = [
    "1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36",
    "1.37",
];

/// Every modelled release, oldest first.
pub fn versions() -> &'static [&'static str] {
    &VERSIONS
}

/// A gate that is absent before `since`, alpha (off) until `on`, then on.
fn gate(minor: u32, since: u32, on: u32) -> Gate {
    if minor < since {
        Gate::Absent
    } else if minor < on {
        Gate::Off
    } else {
        Gate::On
    }
}

/// The profile of a release ("1.25" ... "1.37").
pub fn profile(version: &str) -> Result<Profile, String> {
    let Some(i) = VERSIONS.iter().position(|v| *v == version) else {
        let list: Vec<String> = VERSIONS.iter().map(|v| format!("{v:?}")).collect();
        return Err(format!(
            "Unsupported value: {version:?}: supported values: {}",
            list.join(", ")
        ));
    };
    let minor = OLDEST_MINOR + i as u32;
    Ok(Profile {
        version: VERSIONS[i],
        minor,
        max_pod_failure_backoff: if minor >= 28 {
            10 * MINUTE
        } else {
            360 * SECOND
        },
        pod_failure_policy: gate(minor, 25, 26),
        disruption_target: minor >= 26,
        backoff_limit_per_index: gate(minor, 28, 29),
        pod_replacement_policy: gate(minor, 28, 29),
        success_policy: gate(minor, 30, 31),
        managed_by: gate(minor, 30, 32),
        sidecars: gate(minor, 28, 29),
        batch_labels: minor >= 27,
        job_tracking_annotation: minor <= 26,
        pod_index_label: minor >= 28,
        elastic_indexed: minor >= 27,
        terminal_conditions_wait: minor >= 31,
        failure_target_for_fail_job: minor >= 26,
        complete_reason: minor >= 31,
        relaxed_env_names: minor >= 32,
        manual_selector_default: minor >= 29,
        mutable_suspended_jobs: minor >= 36,
        container_restart_rules: gate(minor, 34, 35),
        restart_all_containers: gate(minor, 35, 36),
        restart_rule_limits_too_many: minor >= 36,
        field_values_as_json: minor >= 34,
        cron_tz_in_schedule_rejected: minor >= 27,
        cron_scheduled_annotation: minor >= 28,
        cron_missed_count_in_message: minor <= 27,
        cron_saw_completed_condition: minor >= 31,
        cron_cleanup_first: minor >= 29,
        cron_last_successful_same_sync: minor >= 31,
    })
}

/// The newest release's profile.
pub fn newest() -> Profile {
    profile(NEWEST).expect("the newest version is modelled")
}

fn gate_cell(g: Gate) -> &'static str {
    match g {
        Gate::Absent => "–",
        Gate::Off => "off",
        Gate::On => "on",
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A row of the README's version table: what it is, and its cell in a
/// profile.
type Item = (&'static str, fn(&Profile) -> String);

/// The rows of the version table.
pub const ITEMS: &[Item] = &[
    ("pod-failure backoff cap", |p| {
        format!("{} min", p.max_pod_failure_backoff / MINUTE)
    }),
    ("`podFailurePolicy`", |p| {
        gate_cell(p.pod_failure_policy).into()
    }),
    ("`DisruptionTarget` on evicted pods", |p| {
        yes(p.disruption_target).into()
    }),
    ("`backoffLimitPerIndex`, `maxFailedIndexes`", |p| {
        gate_cell(p.backoff_limit_per_index).into()
    }),
    ("`podReplacementPolicy`, `status.terminating`", |p| {
        gate_cell(p.pod_replacement_policy).into()
    }),
    ("`successPolicy`", |p| gate_cell(p.success_policy).into()),
    ("`managedBy`", |p| gate_cell(p.managed_by).into()),
    ("native sidecars (init `restartPolicy: Always`)", |p| {
        gate_cell(p.sidecars).into()
    }),
    ("`batch.kubernetes.io/` job labels and selector", |p| {
        yes(p.batch_labels).into()
    }),
    ("Job annotation `batch.kubernetes.io/job-tracking`", |p| {
        yes(p.job_tracking_annotation).into()
    }),
    ("completion-index pod label", |p| {
        yes(p.pod_index_label).into()
    }),
    ("completions editable with parallelism (Indexed)", |p| {
        yes(p.elastic_indexed).into()
    }),
    ("Failed/Complete wait for pods to terminate", |p| {
        yes(p.terminal_conditions_wait).into()
    }),
    ("FailureTarget condition", |p| {
        if p.terminal_conditions_wait {
            "every failure".into()
        } else if p.failure_target_for_fail_job {
            "FailJob rules".into()
        } else {
            "no".into()
        }
    }),
    ("Complete reason", |p| {
        if p.complete_reason {
            "CompletionsReached"
        } else {
            "(empty)"
        }
        .into()
    }),
    ("relaxed env var names", |p| yes(p.relaxed_env_names).into()),
    ("`manualSelector: false` defaulted", |p| {
        yes(p.manual_selector_default).into()
    }),
    ("template editable while suspended after a start", |p| {
        yes(p.mutable_suspended_jobs).into()
    }),
    (
        "suspend clears `startTime` (deadline counts from resume)",
        |p| yes(p.mutable_suspended_jobs).into(),
    ),
    ("container `restartPolicy`, `restartPolicyRules`", |p| {
        gate_cell(p.container_restart_rules).into()
    }),
    ("rule action `RestartAllContainers`", |p| {
        gate_cell(p.restart_all_containers).into()
    }),
    ("CronJob: `TZ=` in schedule rejected on create", |p| {
        yes(p.cron_tz_in_schedule_rejected).into()
    }),
    ("CronJob: scheduled-timestamp annotation", |p| {
        yes(p.cron_scheduled_annotation).into()
    }),
    ("CronJob: missed count in TooManyMissedTimes", |p| {
        yes(p.cron_missed_count_in_message).into()
    }),
    ("CronJob: history cleanup before scheduling", |p| {
        yes(p.cron_cleanup_first).into()
    }),
];

/// The README's table: one row per item, one column per release.
pub fn markdown_table() -> String {
    let profiles: Vec<Profile> = VERSIONS
        .iter()
        .map(|v| profile(v).expect("modelled"))
        .collect();
    let mut out = String::from("| |");
    for v in VERSIONS {
        out.push_str(&format!(" {v} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(VERSIONS.len()));
    out.push('\n');
    for (name, cell) in ITEMS {
        out.push_str(&format!("| {name} |"));
        for p in &profiles {
            out.push_str(&format!(" {} |", cell(p)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_from_1_25_to_the_newest() {
        assert_eq!(versions().len() as u32, NEWEST_MINOR - OLDEST_MINOR + 1);
        assert_eq!(newest().minor, NEWEST_MINOR);
        assert!(
            profile("1.24")
                .unwrap_err()
                .starts_with("Unsupported value: \"1.24\": supported values: \"1.25\", ")
        );
    }

    #[test]
    fn gates_turn_on_in_their_release() {
        let p = |v: &str| profile(v).unwrap();
        assert_eq!(p("1.25").pod_failure_policy, Gate::Off);
        assert_eq!(p("1.26").pod_failure_policy, Gate::On);
        assert_eq!(p("1.27").sidecars, Gate::Absent);
        assert_eq!(p("1.28").sidecars, Gate::Off);
        assert_eq!(p("1.29").sidecars, Gate::On);
        assert_eq!(p("1.27").max_pod_failure_backoff, 360 * SECOND);
        assert_eq!(p("1.28").max_pod_failure_backoff, 600 * SECOND);
        assert_eq!(p("1.33").container_restart_rules, Gate::Absent);
        assert_eq!(p("1.34").container_restart_rules, Gate::Off);
        assert_eq!(p("1.35").container_restart_rules, Gate::On);
        assert_eq!(p("1.34").restart_all_containers, Gate::Absent);
        assert_eq!(p("1.35").restart_all_containers, Gate::Off);
        assert_eq!(p("1.36").restart_all_containers, Gate::On);
        assert!(!p("1.35").mutable_suspended_jobs && p("1.36").mutable_suspended_jobs);
    }

    #[test]
    fn the_readme_table_is_generated_from_the_profiles() {
        let readme = include_str!("../../README.md");
        let table = markdown_table();
        assert!(
            readme.contains(&table),
            "README.md's version table is stale; replace it with:\n{table}"
        );
    }
}
