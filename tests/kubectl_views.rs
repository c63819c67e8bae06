//! kubectl renderings at given instants, checked against kubectl's printPod
//! (pkg/printers/internalversion/printers.go) and describeJob rules.

mod common;
use common::*;
use jobsim::view::kubectl::pods_watch;
use jobsim::view::pods::row_at;

fn row(o: &jobsim::run::Outcome, pod: usize, t: f64) -> (usize, usize, String, u32, Option<u64>) {
    let p = &o.sim.world.pods[pod];
    let r = row_at(p, (t * 1000.0) as u64).expect("the pod exists then");
    (r.ready, r.total, r.status, r.restarts, r.last_restart)
}

#[test]
fn a_native_sidecar_pod_ends_completed_not_init_error() {
    // printPod runs the regular-container loop once Initialized is True,
    // even when a stopped sidecar reports Init:Error.
    let o = run(&std::fs::read_to_string("www/scenarios/sidecar-native.yaml").unwrap());
    let watch = pods_watch(&o.sim, 0, o.ended_at);
    let last = watch.lines().last().unwrap();
    assert!(
        last.contains("0/2") && last.contains("Completed"),
        "{watch}"
    );
    assert!(!watch.contains("Init:Error"), "{watch}");
    // While init containers run, the regular container waits in PodInitializing.
    assert_eq!(row(&o, 0, 0.0).2, "Init:0/1");
}

#[test]
fn the_last_back_off_of_a_run_shows_crash_loop_back_off() {
    let rest = "behavior:\n  default: {runFor: 5s, exitCode: 1}\nuntil: 60s";
    let o = run(&job(
        "crash",
        "    backoffLimit: 100",
        "        restartPolicy: OnFailure",
        rest,
    ));
    // Runs start at 1, 6, 21, 46; the exit at 51 waits until 91.
    let (ready, total, status, restarts, last) = row(&o, 0, 55.0);
    assert_eq!(
        (ready, total, status.as_str(), restarts),
        (0, 1, "CrashLoopBackOff", 3)
    );
    // lastState is the exit being waited out (51 s), not the one before it.
    assert_eq!(last, Some(51_000));
    // Running again: lastState is the previous exit.
    let (_, _, status, _, last) = row(&o, 0, 23.0);
    assert_eq!(status, "Running");
    assert_eq!(last, Some(11_000));
}

#[test]
fn a_crash_looping_sidecar_keeps_the_main_container_counted() {
    let pod = "        initContainers:\n        - {name: proxy, image: proxy, restartPolicy: Always}\n        containers:\n        - {name: main, image: busybox}\n        restartPolicy: Never";
    let rest = "behavior:\n  containers:\n    main: {runFor: forever}\n    proxy: {runFor: 5s, exitCode: 1}\nuntil: 40s";
    let o = run(&job("sidecrash", "", pod, rest));
    // The sidecar's reason stays (nothing in the regular loop overrides it),
    // but the running main container counts as ready.
    let (ready, total, status, restarts, _) = row(&o, 0, 15.0);
    assert_eq!(
        (ready, total, status.as_str(), restarts),
        (1, 2, "Init:CrashLoopBackOff", 1)
    );
}

#[test]
fn terminating_is_shown_only_until_the_pod_is_terminal() {
    let rest = "behavior:\n  default: {runFor: 60s, sigtermDelay: 5s}\nactions:\n- {at: 20s, action: delete-pod, pod: {ordinal: 0}}";
    let o = run(&job("term", "    backoffLimit: 3", "", rest));
    assert_eq!(row(&o, 0, 22.0).2, "Terminating");
    let watch = pods_watch(&o.sim, 0, o.ended_at);
    assert!(
        watch
            .lines()
            .any(|l| l.starts_with("25s") && l.contains("Error")),
        "{watch}"
    );
}

#[test]
fn describe_and_yaml_show_the_job_as_it_was_at_the_instant() {
    // Parallelism 2 until the patch at 5 s, then 1 (and generation 2).
    let text = "scenario: v1\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {name: t}\n  spec:\n    completions: 4\n    parallelism: 2\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{name: main, image: busybox}]\nactions:\n- {at: 5s, action: set-parallelism, value: 1}\n";
    let o = jobsim::run::run_text(text).unwrap();
    let clock = &o.scenario.clock;
    let describe = |t| jobsim::view::kubectl::describe_job(&o.sim, clock, 0, t);
    assert!(
        describe(4_000).contains("Parallelism:      2\n"),
        "{}",
        describe(4_000)
    );
    assert!(
        describe(5_000).contains("Parallelism:      1\n"),
        "{}",
        describe(5_000)
    );
    let yaml = |t| jobsim::view::kubectl::get_job_yaml(&o.sim, clock, 0, t);
    assert!(
        yaml(4_000).contains("  generation: 1\n") && yaml(4_000).contains("  parallelism: 2\n")
    );
    assert!(
        yaml(6_000).contains("  generation: 2\n") && yaml(6_000).contains("  parallelism: 1\n")
    );
}
