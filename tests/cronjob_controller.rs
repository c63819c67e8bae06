//! The CronJob controller, one behaviour per test. Expected values come
//! from upstream's code (pkg/controller/cronjob: syncCronJob,
//! mostRecentScheduleTime, nextScheduleTimeDuration, cleanupFinishedJobs)
//! and its tests, not from this implementation.

mod common;
use common::*;
use jobsim::run::Outcome;

/// A CronJob scenario: `spec` holds extra CronJob spec lines (4 spaces),
/// `rest` the scenario's other keys.
fn cron(schedule: &str, spec: &str, rest: &str) -> String {
    format!(
        "scenario: v1\n{rest}\nmanifest:\n  apiVersion: batch/v1\n  kind: CronJob\n  metadata: {{name: hello}}\n  spec:\n    schedule: {schedule:?}\n{spec}\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            restartPolicy: OnFailure\n            containers: [{{name: hello, image: busybox:1.28}}]\n"
    )
}

/// (name, created at s) of every Job.
fn jobs(o: &Outcome) -> Vec<(String, f64)> {
    o.trace
        .jobs
        .iter()
        .map(|j| (j.name.clone(), secs(j.created_at)))
        .collect()
}

/// The CronJob's events as (at s, reason, message).
fn cron_events(o: &Outcome) -> Vec<(f64, String, String)> {
    o.trace
        .events
        .iter()
        .filter(|e| &*e.object == "CronJob/hello")
        .map(|e| (secs(e.at), e.reason.to_string(), e.message.clone()))
        .collect()
}

fn reasons(o: &Outcome, reason: &str) -> Vec<f64> {
    cron_events(o)
        .into_iter()
        .filter(|(_, r, _)| r == reason)
        .map(|(at, _, _)| at)
        .collect()
}

#[test]
fn every_minute_starts_100ms_after_each_minute_and_names_jobs_by_minutes_since_the_epoch() {
    let o = run(&cron(
        "* * * * *",
        "",
        "until: 3m30s\nbehavior: {default: {runFor: 5s}}",
    ));
    // Created at t=0 (2024-01-01T00:00:00Z, minute 28401120): Next() is
    // strictly after, so the first Job is for 00:01.
    assert_eq!(
        jobs(&o),
        [
            ("hello-28401121".to_string(), 60.1),
            ("hello-28401122".to_string(), 120.1),
            ("hello-28401123".to_string(), 180.1),
        ]
    );
    let job = &o.trace.jobs[1];
    assert_eq!(
        job.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"],
        "2024-01-01T00:02:00Z"
    );
    let c = &o.trace.cron_jobs[0];
    assert_eq!(c.status.last_schedule_time, Some(1_704_067_380));
    assert_eq!(
        cron_events(&o)[..2],
        [
            (
                60.1,
                "SuccessfulCreate".into(),
                "Created job hello-28401121".into()
            ),
            (
                67.1,
                "SawCompletedJob".into(),
                "Saw completed job: hello-28401121, condition: Complete".into()
            ),
        ]
    );
    // lastSuccessfulTime: the newest completionTime (1.31+: in the sync
    // that sees it finish).
    assert_eq!(c.status.last_successful_time, Some(1_704_067_387));
}

#[test]
fn forbid_skips_while_a_job_runs_then_starts_the_missed_time_at_once() {
    let o = run(&cron(
        "* * * * *",
        "    concurrencyPolicy: Forbid",
        "until: 4m\nbehavior: {default: {runFor: 90s}}",
    ));
    // The 01:00 Job runs until 2:31 (1 s start + 90 s): at 02:00 the
    // policy says no; when it finishes the CronJob is synced and 02:00 is
    // still the most recent time, so that Job starts at once.
    // (The Job is Complete at 152.1: the pod exits at 151.1 and the Job
    // controller's batch period is 1 s.) The second Job runs past 03:00.
    assert_eq!(reasons(&o, "JobAlreadyActive"), [120.1, 180.1]);
    let created: Vec<f64> = jobs(&o).iter().map(|(_, at)| *at).collect();
    assert_eq!(created, [60.1, 152.1]);
    assert_eq!(jobs(&o)[1].0, "hello-28401122");
}

#[test]
fn replace_deletes_the_running_job_first() {
    let o = run(&cron(
        "* * * * *",
        "    concurrencyPolicy: Replace",
        "until: 2m30s\nbehavior: {default: {runFor: forever}}",
    ));
    assert_eq!(
        cron_events(&o)[1..3],
        [
            (
                120.1,
                "SuccessfulDelete".into(),
                "Deleted job hello-28401121".into()
            ),
            (
                120.1,
                "SuccessfulCreate".into(),
                "Created job hello-28401122".into()
            ),
        ]
    );
    assert_eq!(o.trace.jobs[0].gone_at, Some(120_100));
    // Its pod goes with it (background propagation, then graceful delete).
    let pod = o.trace.jobs[0].pods[0];
    assert!(o.trace.pods[pod].deletion_timestamp.is_some());
}

#[test]
fn allow_runs_jobs_side_by_side() {
    let o = run(&cron(
        "* * * * *",
        "",
        "until: 3m30s\nbehavior: {default: {runFor: forever}}",
    ));
    assert_eq!(o.trace.cron_jobs[0].status.active.len(), 3);
}

#[test]
fn missed_times_are_not_back_filled_only_the_most_recent_runs() {
    let o = run(&cron(
        "*/5 * * * *",
        "",
        "until: 31m\nbehavior: {default: {runFor: 5s}}\nactions:\n- {at: 1m, action: controller-down}\n- {at: 23m, action: controller-up}",
    ));
    // Down from 1m to 23m: 05, 10, 15, 20 were missed; only 20 runs, at 23m.
    let created: Vec<(String, f64)> = jobs(&o);
    assert_eq!(created[0], ("hello-28401140".into(), 1380.0));
    assert_eq!(created[1], ("hello-28401145".into(), 1500.1));
    assert!(reasons(&o, "TooManyMissedTimes").is_empty());
}

#[test]
fn a_starting_deadline_skips_missed_times_silently() {
    let o = run(&cron(
        "*/5 * * * *",
        "    startingDeadlineSeconds: 60",
        "until: 26m\nbehavior: {default: {runFor: 5s}}\nactions:\n- {at: 1m, action: controller-down}\n- {at: 23m, action: controller-up}",
    ));
    // 20:00 is more than 60 s before 23:00: nothing until 25:00.
    assert_eq!(jobs(&o), [("hello-28401145".to_string(), 1500.1)]);
    assert!(cron_events(&o).iter().all(|(_, r, _)| r != "MissSchedule"));
}

#[test]
fn more_than_100_missed_times_warn_and_still_start_the_most_recent() {
    let text = |version: &str| {
        cron(
            "* * * * *",
            "",
            &format!(
                "kubernetesVersion: {version:?}\nuntil: 125m\nbehavior: {{default: {{runFor: 5s}}}}\nactions:\n- {{at: 30s, action: controller-down}}\n- {{at: 2h, action: controller-up}}"
            ),
        )
    };
    let o = run(&text("1.37"));
    let warnings: Vec<(f64, String, String)> = cron_events(&o)
        .into_iter()
        .filter(|(_, r, _)| r == "TooManyMissedTimes")
        .collect();
    assert_eq!(
        warnings,
        [(
            7200.0,
            "TooManyMissedTimes".into(),
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".into()
        )]
    );
    assert_eq!(jobs(&o)[0], ("hello-28401240".into(), 7200.0));
    // Up to 1.27 the message carried the count: 01:00 .. 02:00 is 120.
    let o = run(&text("1.27"));
    let (_, _, message) = cron_events(&o)
        .into_iter()
        .find(|(_, r, _)| r == "TooManyMissedTimes")
        .expect("a warning");
    assert_eq!(
        message,
        "too many missed start times: 120. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
    );
    // And the Job had no scheduled-timestamp annotation before 1.28.
    assert!(o.trace.jobs[0].annotations.is_empty());
}

#[test]
fn history_limits_delete_the_oldest_finished_jobs() {
    let o = run(&cron(
        "* * * * *",
        "    successfulJobsHistoryLimit: 1\n    failedJobsHistoryLimit: 0",
        "until: 3m30s\nbehavior: {default: {runFor: 5s}, pods: [{match: {job: 1}, exitCode: 1}]}",
    ));
    let deleted: Vec<(f64, String)> = cron_events(&o)
        .into_iter()
        .filter(|(_, r, _)| r == "SuccessfulDelete")
        .map(|(at, _, m)| (at, m))
        .collect();
    // Job 1 fails (backoffLimit 6 with OnFailure restarts takes a while);
    // job 0 and job 2 succeed: when job 2 finishes, job 0 goes.
    assert!(
        deleted.contains(&(187.1, "Deleted job hello-28401121".to_string())),
        "{deleted:?}"
    );
}

#[test]
fn suspend_stops_new_jobs_and_resume_starts_the_most_recent_missed_time() {
    let o = run(&cron(
        "* * * * *",
        "",
        "until: 5m\nbehavior: {default: {runFor: 5s}}\nactions:\n- {at: 70s, action: suspend}\n- {at: 200s, action: resume}",
    ));
    let created: Vec<f64> = jobs(&o).iter().map(|(_, at)| *at).collect();
    // 01:00, then nothing while suspended (02:00 and 03:00), 03:00 on
    // resume at 200 s, then 04:00.
    assert_eq!(created, [60.1, 200.0, 240.1]);
    assert_eq!(jobs(&o)[1].0, "hello-28401123");
}

#[test]
fn time_zones_move_the_schedule_and_the_annotation() {
    let o = run(&cron(
        "0 9 * * *",
        "    timeZone: Asia/Tokyo",
        "clock: {start: 2023-12-31T23:00:00Z}\nuntil: 65m\nbehavior: {default: {runFor: 5s}}",
    ));
    // 09:00 in Tokyo is 00:00 UTC, an hour after the start.
    assert_eq!(jobs(&o), [("hello-28401120".to_string(), 3600.1)]);
    assert_eq!(
        o.trace.jobs[0].annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"],
        "2024-01-01T09:00:00+09:00"
    );
}

#[test]
fn a_triggered_job_is_unexpected_to_the_controller() {
    let o = run(&cron(
        "0 * * * *",
        "",
        "until: 2m\nbehavior: {default: {runFor: 30s}}\nactions:\n- {at: 10s, action: trigger}",
    ));
    let j = &o.trace.jobs[0];
    assert_eq!(j.name, "hello-manual-1");
    assert_eq!(j.annotations["cronjob.kubernetes.io/instantiate"], "manual");
    // Every sync while it runs says so; it is never in status.active.
    assert!(!reasons(&o, "UnexpectedJob").is_empty());
    let c = &o.trace.cron_jobs[0];
    assert!(c.status.active.is_empty());
    // It still counts for lastSuccessfulTime: the pod exits at 41 s, the
    // Job completes a batch period later.
    assert_eq!(c.status.last_successful_time, Some(1_704_067_242));
}

#[test]
fn actions_reach_the_pods_of_a_given_job() {
    let o = run(&cron(
        "* * * * *",
        "",
        "until: 2m30s\nbehavior: {default: {runFor: 20s}}\nactions:\n- {at: 130s, action: fail-pod, pod: {job: 1, ordinal: 0}, exitCode: 3}",
    ));
    // The second Job's pod (restartPolicy OnFailure) restarts its
    // container; the first Job's pod is untouched.
    let restarts = |job: usize| {
        let pod = o.trace.jobs[job].pods[0];
        o.trace.pods[pod].containers[0].restart_count
    };
    assert_eq!((restarts(0), restarts(1)), (0, 1));
}

#[test]
fn tz_in_the_schedule_is_refused_from_1_27_and_warned_about_before() {
    let text = |v: &str| {
        cron(
            "CRON_TZ=Asia/Tokyo 0 9 * * *",
            "",
            &format!(
                "kubernetesVersion: {v:?}\nclock: {{start: 2023-12-31T23:00:00Z}}\nuntil: 65m"
            ),
        )
    };
    let e = run_err(&text("1.27"));
    assert_eq!(
        e.to_string(),
        "The CronJob \"hello\" is invalid: spec.schedule: Invalid value: \"CRON_TZ=Asia/Tokyo 0 9 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    );
    let o = run(&text("1.26"));
    assert_eq!(jobs(&o), [("hello-28401120".to_string(), 3600.1)]);
    let (_, _, message) = cron_events(&o)[0].clone();
    assert_eq!(
        message,
        "CRON_TZ or TZ used in schedule \"CRON_TZ=Asia/Tokyo 0 9 * * *\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"
    );
}
