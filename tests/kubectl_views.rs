//! kubectl renderings at given instants, checked against kubectl's printPod
//! (pkg/printers/internalversion/printers.go) and describeJob rules.

mod common;
use common::*;
use jobsim::view::kubectl::pods_watch;
use jobsim::view::pods::row_at;

fn row(o: &jobsim::run::Outcome, pod: usize, t: f64) -> (usize, usize, String, u32, Option<u64>) {
    let p = &o.trace.pods[pod];
    let r = row_at(p, (t * 1000.0) as u64).expect("the pod exists then");
    (r.ready, r.total, r.status, r.restarts, r.last_restart)
}

#[test]
fn a_native_sidecar_pod_ends_completed_not_init_error() {
    // printPod runs the regular-container loop once Initialized is True,
    // even when a stopped sidecar reports Init:Error.
    let o = run(&std::fs::read_to_string("www/scenarios/sidecar-native.yaml").unwrap());
    let watch = pods_watch(&o.trace, 0, o.ended_at);
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
    let o = run(&JobScenario::new("crash")
        .spec("backoffLimit: 100")
        .pod("restartPolicy: OnFailure")
        .rest(rest)
        .text());
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
    let o = run(&JobScenario::new("sidecrash").pod(pod).rest(rest).text());
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
    let o = run(&JobScenario::new("term")
        .spec("backoffLimit: 3")
        .rest(rest)
        .text());
    assert_eq!(row(&o, 0, 22.0).2, "Terminating");
    let watch = pods_watch(&o.trace, 0, o.ended_at);
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
    let describe = |t| jobsim::view::kubectl::describe_job(&o.trace, clock, 0, t);
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
    let yaml = |t| jobsim::view::kubectl::get_job_yaml(&o.trace, clock, 0, t);
    assert!(
        yaml(4_000).contains("  generation: 1\n") && yaml(4_000).contains("  parallelism: 2\n")
    );
    assert!(
        yaml(6_000).contains("  generation: 2\n") && yaml(6_000).contains("  parallelism: 1\n")
    );
}

/// `kubectl describe job` of a Job that uses most of what the pod template
/// printer shows. The expected text was derived by hand from kubectl's
/// describe.go (describeJob, DescribePodTemplate, describeContainers,
/// describeResources, DescribeProbe, describeContainerEnvFrom/EnvVars,
/// describeContainerVolumes, describeVolumes, printTolerationsMultiline,
/// DescribeEvents) and text/tabwriter's column blocks (one writer, padding
/// 2): e.g. `Requests:` ends a block, so `cpu:` under it aligns with
/// `Readiness:`; resourceFieldRef values are ceil(limit / divisor); an
/// empty Medium leaves the padding of its cell.
#[test]
fn describe_prints_the_pod_template_as_kubectl_does() {
    let o = run(SCENARIO_RICH);
    let text = jobsim::view::kubectl::describe_job(&o.trace, &o.scenario.clock, 0, o.ended_at);
    assert_eq!(text, EXPECTED_RICH);
}

const SCENARIO_RICH: &str = r#"scenario: v1
manifest:
  apiVersion: batch/v1
  kind: Job
  metadata:
    name: report
    annotations: {team: data, owner: "ana"}
  spec:
    backoffLimit: 2
    activeDeadlineSeconds: 600
    ttlSecondsAfterFinished: 100
    template:
      metadata:
        annotations: {sidecar.istio.io/inject: "false"}
      spec:
        serviceAccountName: reporter
        restartPolicy: Never
        nodeSelector: {disktype: ssd}
        tolerations:
        - {key: spot, operator: Exists, effect: NoSchedule}
        - {key: dedicated, operator: Equal, value: batch, effect: NoExecute, tolerationSeconds: 30}
        initContainers:
        - name: fetch
          image: busybox:1.36
          command: [sh, -c, "wget -O /data/in.csv http://example/in.csv"]
          volumeMounts: [{name: data, mountPath: /data}]
        containers:
        - name: report
          image: registry.example/report:2.0
          args: ["--in=/data/in.csv", "--out=/data/out"]
          ports: [{containerPort: 8080, name: metrics}, {containerPort: 9090}]
          env:
          - {name: MODE, value: full}
          - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
          - {name: TOKEN, valueFrom: {secretKeyRef: {name: api, key: token}}}
          - {name: LEVEL, valueFrom: {configMapKeyRef: {name: cfg, key: level, optional: true}}}
          - {name: CPUS, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
          - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
          envFrom: [{configMapRef: {name: common}}, {secretRef: {name: creds}, prefix: DB_}]
          resources: {limits: {cpu: "1.5", memory: 512Mi}, requests: {cpu: 250m, memory: 256Mi}}
          readinessProbe: {httpGet: {path: /ready, port: metrics}}
          volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /etc/report, readOnly: true, subPath: report}]
        volumes:
        - {name: data, emptyDir: {sizeLimit: 1Gi}}
        - {name: cfg, configMap: {name: report-config}}
        - {name: creds, secret: {secretName: db}}
"#;

const EXPECTED_RICH: &str = r#"Name:                        report
Namespace:                   default
Selector:                    batch.kubernetes.io/controller-uid=5eed0001-0001-4001-8001-000000000001
Labels:                      batch.kubernetes.io/controller-uid=5eed0001-0001-4001-8001-000000000001
                             batch.kubernetes.io/job-name=report
                             controller-uid=5eed0001-0001-4001-8001-000000000001
                             job-name=report
Annotations:                 owner: ana
                             team: data
Parallelism:                 1
Completions:                 1
Completion Mode:             NonIndexed
Suspend:                     false
Backoff Limit:               2
TTL Seconds After Finished:  100
Start Time:                  Mon, 01 Jan 2024 00:00:00 +0000
Completed At:                Mon, 01 Jan 2024 00:00:23 +0000
Duration:                    23s
Active Deadline Seconds:     600s
Pods Statuses:               0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:           batch.kubernetes.io/controller-uid=5eed0001-0001-4001-8001-000000000001
                    batch.kubernetes.io/job-name=report
                    controller-uid=5eed0001-0001-4001-8001-000000000001
                    job-name=report
  Annotations:      sidecar.istio.io/inject: false
  Service Account:  reporter
  Init Containers:
   fetch:
    Image:      busybox:1.36
    Port:       <none>
    Host Port:  <none>
    Command:
      sh
      -c
      wget -O /data/in.csv http://example/in.csv
    Environment:  <none>
    Mounts:
      /data from data (rw)
  Containers:
   report:
    Image:       registry.example/report:2.0
    Ports:       8080/TCP (metrics), 9090/TCP
    Host Ports:  0/TCP (metrics), 0/TCP
    Args:
      --in=/data/in.csv
      --out=/data/out
    Limits:
      cpu:     1500m
      memory:  512Mi
    Requests:
      cpu:      250m
      memory:   256Mi
    Readiness:  http-get http://:metrics/ready delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment Variables from:
      common  ConfigMap                 Optional: false
      creds   Secret with prefix 'DB_'  Optional: false
    Environment:
      MODE:   full
      POD:     (v1:metadata.name)
      TOKEN:  <set to the key 'token' in secret 'api'>      Optional: false
      LEVEL:  <set to the key 'level' of config map 'cfg'>  Optional: true
      CPUS:   2 (limits.cpu)
      MEM:    512 (limits.memory)
    Mounts:
      /data from data (rw)
      /etc/report from cfg (ro,path="report")
  Volumes:
   data:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  1Gi
   cfg:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      report-config
    Optional:  false
   creds:
    Type:          Secret (a volume populated by a Secret)
    SecretName:    db
    Optional:      false
  Node-Selectors:  disktype=ssd
  Tolerations:     dedicated=batch:NoExecute for 30s
                   spot:NoSchedule op=Exists
Events:
  Type    Reason            Age   From            Message
  ----    ------            ----  ----            -------
  Normal  SuccessfulCreate  2m3s  job-controller  Created pod: report-hlgrq
  Normal  Completed         100s  job-controller  Job completed
"#;
