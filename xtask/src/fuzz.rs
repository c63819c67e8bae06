//! `cargo run -p xtask --profile fuzz -- fuzz [--seconds N] [--seed S]`: random
//! scenarios through parse -> admission -> simulation, looking for panics
//! and hangs. Three kinds of input, in turn:
//! - manifests generated from the API schema table (every field of Job and
//!   the pod template, values drawn from the edges that validation and the
//!   controllers care about), with random behaviour and actions;
//! - seed scenarios with random byte edits (arbitrary text);
//! - arbitrary YAML trees (random nesting of maps, lists and scalars).
//!
//! It prints how many inputs ran and what became of them, and exits 1 with
//! the input saved to target/fuzz-failure.yaml on a panic or an input that
//! takes longer than the hang limit.

use jobsim::admission::strict::{JOB, types};
use jobsim::run::run;
use jobsim::scenario;
use jobsim::schema::Kind;
use jobsim::sim::world::Limits;
use serde_yaml::{Mapping, Value};
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
        let mut manifest: Value = serde_yaml::from_str(BASE).expect("valid base");
        // Sparse patches mostly pass admission and reach the controllers;
        // dense ones mostly exercise validation.
        self.density = if self.chance(50) { 6 } else { 30 };
        let spec_type = types()[JOB]
            .field("spec")
            .map(|f| match f.kind {
                Kind::Object(i) => i,
                _ => JOB,
            })
            .unwrap_or(JOB);
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
            serde_yaml::from_str(&behavior).expect("valid"),
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
                    serde_yaml::to_string(&Value::Mapping(a)).unwrap_or_default()
                }
            };
            if let Ok(v) = serde_yaml::from_str::<Value>(&action) {
                actions.push(v);
            }
        }
        root.insert("actions".into(), Value::Sequence(actions));
        serde_yaml::to_string(&Value::Mapping(root)).unwrap_or_default()
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

const LIMITS: Limits = Limits {
    max_pods: 2_000,
    max_events: 40_000,
};

const HANG: Duration = Duration::from_secs(10);

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
    let (mut inputs, mut parse_errors, mut rejected, mut ran, mut stopped) = (0u64, 0, 0, 0, 0);
    let mut slowest = (Duration::ZERO, String::new());
    while started.elapsed() < Duration::from_secs(seconds) {
        let text = match inputs % 3 {
            0 => generator.scenario(),
            1 => generator.mutated(&seeds),
            _ => {
                let tree = generator.tree(0);
                serde_yaml::to_string(&tree).unwrap_or_default()
            }
        };
        inputs += 1;
        let t0 = Instant::now();
        let result = std::panic::catch_unwind(|| match scenario::parse(&text) {
            Err(_) => 0,
            Ok(s) => match run(s, LIMITS) {
                Ok(o) if o.stopped.is_none() => 2,
                Err(jobsim::run::RunError::Admission(_)) => 1,
                _ => 3,
            },
        });
        let took = t0.elapsed();
        if took > slowest.0 {
            slowest = (took, text.clone());
        }
        match result {
            Ok(0) => parse_errors += 1,
            Ok(1) => rejected += 1,
            Ok(2) => ran += 1,
            Ok(_) => stopped += 1,
            Err(_) => {
                let why = std::fs::read_to_string("target/fuzz-panic.txt").unwrap_or_default();
                fail(&format!("panicked: {why}"), &text, inputs)
            }
        }
        if took > HANG {
            fail(
                &format!("took {took:?} (hang limit {HANG:?})"),
                &text,
                inputs,
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz: {inputs} inputs in {secs:.0} s ({:.0}/s), seed {seed}: {parse_errors} not scenarios, {rejected} rejected by admission, {ran} ran to the end, {stopped} stopped by a limit or an action error; 0 panics, slowest {:.1} ms",
        inputs as f64 / secs,
        slowest.0.as_secs_f64() * 1000.0
    );
}

fn fail(what: &str, text: &str, n: u64) -> ! {
    let path = "target/fuzz-failure.yaml";
    let _ = std::fs::write(path, text);
    eprintln!("fuzz: input #{n} {what}; saved to {path}:\n{text}");
    std::process::exit(1);
}
