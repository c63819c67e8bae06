//! `cargo run -p xtask --profile fuzz -- fuzz [--seconds N] [--seed S]`: the
//! whole path, text -> parse -> admission -> simulation -> views (the JSON
//! report, timelines, explanations, kubectl views, injections), looking
//! for panics, hangs and runaway memory: each input must finish the whole
//! path within 3 s in this build (the engine alone: under 2 s in release
//! builds, as the benchmark prints), simulate within 300 MB, and draw its
//! views within 500 MB.
//!
//! First the regression corpus (tests/fuzz-corpus: every input that ever
//! failed) and the hostile shapes below, then random inputs, in turn:
//! - manifests generated from the API schema table (every field of Job and
//!   the pod template, values drawn from the edges that validation and the
//!   controllers care about), with random behaviour and actions;
//! - seed scenarios with random byte edits (arbitrary text);
//! - arbitrary YAML trees (random nesting of maps, lists and scalars);
//! - hostile shapes at random sizes: deep nesting, many containers, wide
//!   and long Jobs, minutely CronJobs over days, fast-crashing sidecars,
//!   thousands of env vars or patches, long names.
//!
//! It prints how many inputs ran and what became of them, and exits 1 with
//! the input saved to target/fuzz-failure.yaml on a panic or an input over
//! the time or memory limit (add it to tests/fuzz-corpus once fixed).

use jobsim::admission::strict::{job as job_type, types};
use jobsim::run::run;
use jobsim::scenario;
use jobsim::schema::Kind;
use jobsim::sim::world::Limits;
use jobsim::view::explain::Locale;
use jobsim::yaml::{Mapping, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const STRINGS: &[&str] = &[
    "",
    "a",
    "pi",
    "Always",
    "Never",
    "OnFailure",
    "Sometimes",
    "Indexed",
    "NonIndexed",
    "In",
    "NotIn",
    "FailJob",
    "FailIndex",
    "Ignore",
    "Count",
    "Failed",
    "TerminatingOrFailed",
    "True",
    "False",
    "DisruptionTarget",
    "TCP",
    "HTTP",
    "busybox",
    "busybox:1.36",
    "My_Name",
    "my.name",
    "A=B",
    "0",
    "1,3-5",
    "5-3",
    "0-",
    "-1",
    "x/y",
    "example.com/x",
    "500m",
    "1Gi",
    "/data",
    "metadata.name",
    "kubernetes.io/os",
    "beta.kubernetes.io/os",
    "ClusterFirst",
    "None",
    "main",
    "sidecar",
    "Exists",
    "Equal",
    "NoSchedule",
    "Allow",
    "Forbid",
    "Replace",
    "*/5 * * * *",
];
const INTS: &[i64] = &[
    -1,
    0,
    1,
    2,
    3,
    5,
    10,
    30,
    100,
    255,
    600,
    65535,
    65536,
    100_000,
    100_001,
    2_147_483_647,
    -2_147_483_648,
    4_294_967_296,
];

struct Gen {
    rng: oorandom::Rand64,
    /// How likely each field of a struct is to be set, at the top.
    density: u64,
}

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.rng.rand_range(0..n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.rand_range(0..100) < percent
    }

    fn string(&mut self) -> Value {
        if self.chance(10) {
            let len = self.below(80);
            let s: String = (0..len)
                .map(|_| (b' ' + self.below(95) as u8) as char)
                .collect();
            return s.into();
        }
        STRINGS[self.below(STRINGS.len())].into()
    }

    fn int(&mut self) -> Value {
        if self.chance(20) {
            return (self.below(20) as i64).into();
        }
        INTS[self.below(INTS.len())].into()
    }

    /// A value of this kind (sometimes of another kind).
    fn value(&mut self, kind: &Kind, depth: usize) -> Value {
        if self.chance(3) {
            return self.scalar();
        }
        match kind {
            Kind::String | Kind::Time => self.string(),
            Kind::Bool => self.chance(50).into(),
            Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64 => self.int(),
            Kind::Float => Value::from(self.below(1000) as f64 / 10.0),
            Kind::IntOrString | Kind::Quantity => {
                if self.chance(50) {
                    self.int()
                } else {
                    self.string()
                }
            }
            Kind::Duration | Kind::RunFor => format!("{}s", self.below(120)).into(),
            Kind::Any => self.scalar(),
            Kind::Object(i) => self.object(*i, depth + 1),
            Kind::Array(k) => {
                let n = if depth > 7 { 0 } else { self.below(3) };
                Value::Sequence((0..n).map(|_| self.value(k, depth + 1)).collect())
            }
            Kind::Map(k) => {
                let mut m = Mapping::new();
                for _ in 0..self.below(3) {
                    let key = self.string();
                    let v = self.value(k, depth + 1);
                    m.insert(key, v);
                }
                Value::Mapping(m)
            }
        }
    }

    fn scalar(&mut self) -> Value {
        match self.below(4) {
            0 => self.string(),
            1 => self.int(),
            2 => self.chance(50).into(),
            _ => Value::Null,
        }
    }

    /// A struct with a random few of its fields.
    fn object(&mut self, index: usize, depth: usize) -> Value {
        let mut m = Mapping::new();
        let Some(t) = types().get(index) else {
            return Value::Mapping(m);
        };
        let percent = self.density.saturating_sub(depth as u64 * 4).max(2);
        for f in t.fields {
            if depth < 9 && self.chance(percent) {
                let v = self.value(&f.kind, depth);
                m.insert(f.name.into(), v);
            }
        }
        if self.chance(2) {
            m.insert("unknownField".into(), Value::Null);
        }
        Value::Mapping(m)
    }

    /// A scenario around a Job: the base manifest merged with a generated
    /// patch, and random behaviour and actions.
    fn scenario(&mut self) -> String {
        let mut manifest: Value = jobsim::yaml::parse(BASE).expect("valid base");
        // Sparse patches mostly pass admission and reach the controllers;
        // dense ones mostly exercise validation.
        self.density = if self.chance(50) { 6 } else { 30 };
        let spec_type = types()[job_type()]
            .field("spec")
            .map(|f| match f.kind {
                Kind::Object(i) => i,
                _ => job_type(),
            })
            .unwrap_or(job_type());
        let patch = self.object(spec_type, 0);
        if let Some(spec) = manifest.get_mut("spec") {
            jobsim::admission::merge_patch(spec, &patch);
        }
        let mut root = Mapping::new();
        root.insert("scenario".into(), "v1".into());
        root.insert("seed".into(), (self.below(1000) as u64).into());
        root.insert("until".into(), format!("{}s", 1 + self.below(900)).into());
        root.insert("manifest".into(), manifest);
        let behavior = format!(
            "{{default: {{runFor: {}s, exitCode: {}}}, pods: [{{match: {{index: {}}}, exitCode: {}}}]}}",
            self.below(60),
            self.below(3),
            self.below(4),
            [0, 1, 2, 137][self.below(4)]
        );
        root.insert(
            "behavior".into(),
            jobsim::yaml::parse(&behavior).expect("valid"),
        );
        let mut actions = Vec::new();
        for _ in 0..self.below(5) {
            let at = format!("{}s", self.below(300));
            let action = match self.below(8) {
                0 => format!("{{at: {at}, action: suspend}}"),
                1 => format!("{{at: {at}, action: resume}}"),
                2 => format!(
                    "{{at: {at}, action: fail-pod, pod: {{index: {}}}}}",
                    self.below(3)
                ),
                3 => format!(
                    "{{at: {at}, action: evict-pod, pod: {{ordinal: {}}}}}",
                    self.below(5)
                ),
                4 => format!(
                    "{{at: {at}, action: set-parallelism, value: {}}}",
                    self.below(20)
                ),
                5 => format!("{{at: {at}, action: delete-job}}"),
                6 => format!("{{at: {at}, action: controller-down}}"),
                _ => {
                    let patch = self.object(spec_type, 3);
                    let mut p = Mapping::new();
                    p.insert("spec".into(), patch);
                    let mut a = Mapping::new();
                    a.insert("at".into(), at.into());
                    a.insert("action".into(), "patch".into());
                    a.insert("patch".into(), Value::Mapping(p));
                    jobsim::yaml::to_yaml(&Value::Mapping(a))
                }
            };
            if let Ok(v) = jobsim::yaml::parse(&action) {
                actions.push(v);
            }
        }
        root.insert("actions".into(), Value::Sequence(actions));
        jobsim::yaml::to_yaml(&Value::Mapping(root))
    }

    /// A seed scenario with a few random byte edits.
    fn mutated(&mut self, seeds: &[String]) -> String {
        let mut bytes = seeds[self.below(seeds.len())].clone().into_bytes();
        for _ in 0..1 + self.below(4) {
            if bytes.is_empty() {
                break;
            }
            let at = self.below(bytes.len());
            match self.below(3) {
                0 => {
                    bytes.remove(at);
                }
                1 => {
                    const INSERTS: &[u8] = b" -:{}[]0a\n#\"'";
                    bytes.insert(at, INSERTS[self.below(INSERTS.len())])
                }
                _ => bytes[at] = b'0' + self.below(10) as u8,
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// An arbitrary YAML tree as text.
    fn tree(&mut self, depth: usize) -> Value {
        match self.below(if depth > 4 { 3 } else { 5 }) {
            0 => self.string(),
            1 => self.int(),
            2 => Value::Null,
            3 => Value::Sequence((0..self.below(4)).map(|_| self.tree(depth + 1)).collect()),
            _ => {
                let mut m = Mapping::new();
                for _ in 0..self.below(5) {
                    let key = if self.chance(50) {
                        [
                            "scenario",
                            "manifest",
                            "spec",
                            "kind",
                            "apiVersion",
                            "actions",
                            "behavior",
                        ][self.below(7)]
                        .into()
                    } else {
                        self.string()
                    };
                    let v = self.tree(depth + 1);
                    m.insert(key, v);
                }
                Value::Mapping(m)
            }
        }
    }
}

const BASE: &str = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: main, image: busybox}]\n";

/// Per input, the whole path (the JSON report of 100,000 pods included)
/// in this build (no LTO): the engine alone stays under 2 s in release
/// builds (`cargo bench` prints it).
const HANG: Duration = Duration::from_secs(3);
/// The simulation's peak memory per input (the views of a finished run add
/// what they draw: a kubectl table of 100,000 pods, for one).
const MEMORY: usize = 300 << 20;
/// The whole path's.
const MEMORY_WITH_VIEWS: usize = 500 << 20;

/// The simulation's own peak memory for the current input.
static ENGINE_PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting the bytes in use and their peak (the
/// memory cap per input).
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The whole path for one input: 0 not a scenario, 1 refused by
/// admission, 2 ran to its end, 3 stopped part-way.
fn whole_path(text: &str) -> u8 {
    // The editor's services on the manifest as typed (the page also places
    // each admission error in the text).
    if let Some(manifest) = jobsim::scenario::write::manifest_text(text) {
        let p = jobsim::sim::profile::profile(jobsim::sim::profile::NEWEST).unwrap();
        let _ = jobsim::assist::lint(&manifest, &p);
        let _ = jobsim::assist::complete(&manifest, manifest.len(), &p);
        let _ = jobsim::assist::hover(&manifest, manifest.len() / 2, &p, "");
    }
    let Ok(s) = scenario::parse(text) else {
        return 0;
    };
    let o = run(s, Limits::default());
    ENGINE_PEAK.store(PEAK.load(Ordering::Relaxed), Ordering::Relaxed);
    let o = match o {
        Ok(o) => o,
        Err(jobsim::run::RunError::Admission(_)) => return 1,
        Err(_) => return 0,
    };
    let mut bytes = 0usize;
    jobsim::view::report::write_report(&o, &mut |piece| bytes += piece.len());
    let trace = &o.trace;
    for job in 0..trace.jobs.len().min(3) {
        let t = jobsim::view::timeline::Timeline::build(trace, job, o.ended_at);
        for g in t.gaps.iter().take(20) {
            let _ = jobsim::view::explain::replacement(trace, &g.replacement, Locale::En);
            let _ = jobsim::view::explain::gap_label(&g.replacement, Locale::Ja);
        }
        for &at in t.moments.iter().step_by(t.moments.len() / 8 + 1) {
            let _ = jobsim::view::kubectl::describe_job(trace, &o.scenario.clock, job, at);
            let _ = jobsim::view::kubectl::get_pods(trace, job, at);
            let pod = trace.jobs[job].pods.first().copied();
            let _ = jobsim::view::inject::available(trace, pod, at);
        }
    }
    for d in trace.log.decisions.iter().take(200) {
        let _ = jobsim::view::explain::explain(trace, d, Locale::Ja);
    }
    if o.stopped.is_some() { 3 } else { 2 }
}

pub fn main(args: &[String]) {
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let seconds = flag("--seconds").unwrap_or(60);
    let seed = flag("--seed").unwrap_or(1);
    let seeds: Vec<String> = std::fs::read_dir("www/scenarios")
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    if seeds.is_empty() {
        eprintln!("fuzz: no seed scenarios in www/scenarios (run from the repository root)");
        std::process::exit(2);
    }
    let mut generator = Gen {
        rng: oorandom::Rand64::new(u128::from(seed)),
        density: 30,
    };
    // A panic's message is kept for the report.
    std::panic::set_hook(Box::new(|info| {
        let _ = std::fs::write("target/fuzz-panic.txt", info.to_string());
    }));
    let started = Instant::now();
    let mut counts = [0u64; 4];
    let mut inputs = 0u64;
    let mut slowest = (Duration::ZERO, String::new());
    let mut heaviest = 0usize;
    // The regression corpus and the hostile shapes first, every run.
    let mut fixed: Vec<(String, String)> = corpus();
    fixed.extend(hostile_shapes());
    let fixed_count = fixed.len();
    let mut check = |name: &str, text: &str, inputs: u64| {
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        ENGINE_PEAK.store(base, Ordering::Relaxed);
        let t0 = Instant::now();
        let result = std::panic::catch_unwind(|| whole_path(text));
        let took = t0.elapsed();
        let memory = ENGINE_PEAK.load(Ordering::Relaxed).saturating_sub(base);
        let with_views = PEAK.load(Ordering::Relaxed).saturating_sub(base);
        heaviest = heaviest.max(memory);
        if took > slowest.0 {
            slowest = (took, name.to_string());
        }
        match result {
            Ok(kind) => counts[usize::from(kind)] += 1,
            Err(_) => {
                let why = std::fs::read_to_string("target/fuzz-panic.txt").unwrap_or_default();
                fail(&format!("{name} panicked: {why}"), text, inputs)
            }
        }
        if took > HANG {
            fail(
                &format!("{name} took {took:?} (limit {HANG:?})"),
                text,
                inputs,
            );
        }
        if memory > MEMORY || with_views > MEMORY_WITH_VIEWS {
            fail(
                &format!(
                    "{name} used {} MB simulating, {} MB with the views (limits {} and {} MB)",
                    memory >> 20,
                    with_views >> 20,
                    MEMORY >> 20,
                    MEMORY_WITH_VIEWS >> 20
                ),
                text,
                inputs,
            );
        }
    };
    for (name, text) in &fixed {
        inputs += 1;
        check(name, text, inputs);
    }
    while started.elapsed() < Duration::from_secs(seconds) {
        // A hostile shape now and then: they are slower by design.
        let text = match inputs % 16 {
            0 => generator.hostile(),
            n if n % 3 == 0 => generator.scenario(),
            n if n % 3 == 1 => generator.mutated(&seeds),
            _ => {
                let tree = generator.tree(0);
                jobsim::yaml::to_yaml(&tree)
            }
        };
        inputs += 1;
        check("a random input", &text, inputs);
    }
    let [parse_errors, rejected, ran, stopped] = counts;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {inputs} inputs in {secs:.0} s ({:.0}/s; {fixed_count} from the regression corpus and the hostile shapes), seed {seed}: {parse_errors} not scenarios, {rejected} rejected by admission, {ran} ran to the end, {stopped} stopped by a limit or an action error; 0 panics; slowest {:.1} ms ({}), most memory simulating {} MB",
        inputs as f64 / secs,
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1,
        heaviest >> 20
    );
}

fn fail(what: &str, text: &str, n: u64) -> ! {
    let path = "target/fuzz-failure.yaml";
    let _ = std::fs::write(path, text);
    eprintln!("fuzz: input #{n} {what}; saved to {path}:\n{text}");
    std::process::exit(1);
}

/// tests/fuzz-corpus: every input that ever failed, by file name.
fn corpus() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir("tests/fuzz-corpus")
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let text = std::fs::read_to_string(&path).ok()?;
            (path.extension()? == "yaml").then(|| (path.display().to_string(), text))
        })
        .collect();
    out.sort();
    out
}

/// A Job scenario with `spec` lines (4 spaces), pod `spec` lines (8) and
/// the rest of the scenario.
fn job(spec: &str, pod: &str, rest: &str) -> String {
    format!(
        "scenario: v1\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: hostile}}\n  spec:\n{spec}\n    template:\n      spec:\n        restartPolicy: Never\n{pod}\n{rest}\n"
    )
}

const ONE_CONTAINER: &str = "        containers: [{name: main, image: busybox}]";

/// A minutely CronJob over `hours`, its containers running `run_for`.
fn cron(hours: u64, extra: &str, run_for: &str) -> String {
    format!(
        "scenario: v1\nuntil: {hours}h\nmanifest:\n  apiVersion: batch/v1\n  kind: CronJob\n  metadata: {{name: minutely}}\n  spec:\n    schedule: \"* * * * *\"\n{extra}\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            restartPolicy: Never\n            containers: [{{name: main, image: busybox}}]\nbehavior:\n  default: {{runFor: {run_for}}}\n"
    )
}

/// The inputs that froze or crashed the engine before it had limits
/// (issue 11), at full size: each must end within the time and memory
/// caps, with a result or a named limit.
fn hostile_shapes() -> Vec<(String, String)> {
    let containers: String = (0..1000)
        .map(|i| format!("        - {{name: c{i}, image: busybox}}\n"))
        .collect();
    let env: String = (0..20_000)
        .map(|i| format!("          - {{name: E{i}, value: v}}\n"))
        .collect();
    let patches: String = (0..5_000)
        .map(|i| {
            format!("- {{at: 5s, action: patch, patch: {{metadata: {{labels: {{l{i}: v}}}}}}}}\n")
        })
        .collect();
    let mut rules = String::from("behavior:\n  pods:\n");
    for i in (0..100_000).step_by(20) {
        rules += &format!("  - match: {{index: {i}, attempt: 0}}\n    exitCode: 1\n");
    }
    let indexed = |parallelism: u32| {
        job(
            &format!(
                "    completionMode: Indexed\n    completions: 100000\n    parallelism: {parallelism}\n    backoffLimit: 100000"
            ),
            ONE_CONTAINER,
            &rules,
        )
    };
    vec![
        (
            "100,000 brackets".into(),
            format!("scenario: v1\nbehavior: {}", "[".repeat(100_000)),
        ),
        (
            "1 MiB of brackets".into(),
            format!("scenario: v1\nbehavior: {}", "[".repeat((1 << 20) - 30)),
        ),
        (
            "deep block nesting".into(),
            (0..10_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ),
        (
            "1,000 containers in 5,000 pods".into(),
            job(
                "    completionMode: Indexed\n    completions: 5000\n    parallelism: 5000",
                &format!("        containers:\n{containers}"),
                "",
            ),
        ),
        ("a minutely CronJob over 120 h".into(), cron(120, "", "10s")),
        (
            "a minutely CronJob over 30 days".into(),
            cron(720, "", "10s"),
        ),
        (
            "120 h of Jobs that never end".into(),
            cron(120, "", "forever"),
        ),
        (
            "history limits at the maximum".into(),
            cron(
                120,
                "    successfulJobsHistoryLimit: 2147483647\n    failedJobsHistoryLimit: 2147483647",
                "10s",
            ),
        ),
        (
            "a sidecar crashing after 500 ms".into(),
            job(
                "",
                "        initContainers:\n        - {name: side, image: busybox, restartPolicy: Always}\n        containers:\n        - {name: main, image: busybox}",
                "behavior:\n  containers:\n    side: {runFor: 500ms, exitCode: 1}\n    main: {runFor: 60s}\nuntil: 2h",
            ),
        ),
        (
            "20,000 env vars".into(),
            job(
                "",
                &format!(
                    "        containers:\n        - name: main\n          image: busybox\n          env:\n{env}"
                ),
                "",
            ),
        ),
        (
            "5,000 unknown fields".into(),
            job(
                &(0..5_000)
                    .map(|i| format!("    backofLimit{i}: 1\n"))
                    .collect::<String>(),
                ONE_CONTAINER,
                "",
            ),
        ),
        (
            "5,000 label patches at one instant".into(),
            job("", ONE_CONTAINER, &format!("actions:\n{patches}")),
        ),
        ("upstream's maximum Indexed Job".into(), indexed(10_000)),
        ("wider than the playground runs".into(), indexed(20_001)),
        (
            "parallelism 1e9".into(),
            job(
                "    completions: 2147483647\n    parallelism: 1000000000",
                ONE_CONTAINER,
                "",
            ),
        ),
        (
            "a 1 MB name".into(),
            job("", ONE_CONTAINER, "")
                .replace("name: hostile", &format!("name: {}", "x".repeat(1_000_000))),
        ),
    ]
}

impl Gen {
    /// A hostile shape at a random size.
    fn hostile(&mut self) -> String {
        let n = 1 + self.below(1_000);
        match self.below(6) {
            0 => format!("scenario: v1\nbehavior: {}", "[{".repeat(n)),
            1 => job(
                &format!("    completions: {}\n    parallelism: {}", n * 10, 1 + self.below(30_000)),
                ONE_CONTAINER,
                "behavior:\n  default: {runFor: 1s, exitCode: 1}",
            ),
            2 => cron(1 + self.below(200) as u64, "", if self.chance(50) { "forever" } else { "30s" }),
            3 => job(
                "",
                &format!(
                    "        initContainers:\n        - {{name: side, image: busybox, restartPolicy: Always}}\n{ONE_CONTAINER}"
                ),
                &format!("behavior:\n  containers:\n    side: {{runFor: {}ms, exitCode: 1}}\nuntil: 1h", self.below(2_000)),
            ),
            4 => job(
                "",
                &format!(
                    "        containers:\n{}",
                    (0..1 + self.below(150))
                        .map(|i| format!("        - {{name: c{i}, image: busybox}}\n"))
                        .collect::<String>()
                ),
                "",
            ),
            _ => job(
                "",
                ONE_CONTAINER,
                &format!(
                    "actions:\n{}",
                    (0..n.min(1_500))
                        .map(|i| format!("- {{at: {}s, action: patch, patch: {{metadata: {{labels: {{l{i}: v}}}}}}}}\n", i % 7))
                        .collect::<String>()
                ),
            ),
        }
    }
}
