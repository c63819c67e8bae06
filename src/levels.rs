//! Workshop levels: exercises built on the seed scenarios, each with a goal
//! that the simulation checks. The levels themselves are data
//! (`www/levels.yaml`, fetched by the playground when the workshop opens,
//! and read by the tests); this module reads that file and checks a run
//! against a level's list of checks. The format is in docs/levels.md.

use crate::run::Outcome;
use crate::scenario::Scenario;
use crate::scenario::duration;
use crate::sim::world::ConditionType;
use crate::time::Ms;
use crate::view::explain::Locale;
use crate::yaml::Value;

/// A text in both UI languages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    pub en: String,
    pub ja: String,
}

impl Text {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ja if !self.ja.is_empty() => &self.ja,
            _ => &self.en,
        }
    }
}

/// Where a level starts: a seed scenario (`www/scenarios/<name>.yaml`) or
/// a scenario written in the level.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    Seed(String),
    Scenario(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    pub id: String,
    pub title: Text,
    pub goal: Text,
    pub hints: Vec<Text>,
    pub start: Start,
    /// The level asks for a prediction (a time, such as `9m6s`).
    pub question: Option<Text>,
    /// What the learner may change (`editable`): manifest paths such as
    /// `spec.backoffLimit`, and `behavior`, `actions` or
    /// `kubernetesVersion`. Anything else must stay as the level set it:
    /// a run of another scenario solves nothing.
    pub editable: Vec<String>,
    pub checks: Vec<Check>,
    /// The track's id (`basics`, `failures` ...): the file's `tracks`.
    pub track: Option<String>,
    /// 1 (first steps) to 3 (needs the earlier levels); 0: not said.
    pub difficulty: u8,
    /// About how long a learner takes, in minutes (0: not said).
    pub minutes: u32,
    /// Shown once solved: why it works, and the upstream behaviour behind it.
    pub debrief: Option<Text>,
    /// The documentation page the debrief links to.
    pub docs: Option<String>,
    pub solution: Option<Solution>,
}

/// A level's reference solution: shown after the last hint, and proved
/// to solve the level by the tests.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    pub text: Text,
    /// A JSON merge patch (RFC 7386) of the level's manifest.
    pub manifest: Option<Value>,
    /// The prediction (prediction levels).
    pub answer: Option<String>,
}

/// A levels file: its tracks, then its levels in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Levels {
    pub tracks: Vec<Track>,
    pub levels: Vec<Level>,
}

/// A group of levels on one subject, in the order a room takes them.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub id: String,
    pub title: Text,
}

/// One thing the run must show. All of a level's checks must hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// The (first) Job ends with this condition, with this reason, by then.
    Job {
        condition: String,
        reason: Option<String>,
        within: Option<Ms>,
        /// Not before then (a lower bound: a deadline of one second is
        /// not "after one minute").
        after: Option<Ms>,
    },
    /// The CronJob recorded no event with this reason
    /// (`TooManyMissedTimes`).
    NoEvent(String),
    /// The CronJob's schedule fires at this interval (the next three
    /// schedule times from t = 0 are this far apart).
    Every(Ms),
    /// The prediction equals when the first Job finished, give or take.
    Answer { tolerance: Ms },
    /// How many pods the first Job created.
    Pods { min: u32, max: u32 },
    /// How many pods one index of the first Job had.
    IndexPods { index: u32, min: u32, max: u32 },
    /// This index is in `status.completedIndexes` at the end.
    IndexSucceeded(u32),
    /// Some pod was disrupted (it has the DisruptionTarget condition).
    Disrupted,
    /// The manifest keeps this value at this path (`spec.backoffLimit`).
    Manifest { path: String, equals: Value },
    /// A container or init container of this name is still in the manifest.
    Container(String),
    /// A CronJob's Jobs never run at the same time.
    NoOverlap,
    /// How many Jobs the CronJob created.
    Jobs { min: u32, max: u32 },
    /// When the CronJob's Jobs were created (to the second).
    JobsCreatedAt(Vec<Ms>),
    /// The first Job was deleted this long after it finished (±1 s).
    DeletedAfterFinish(Ms),
    /// A container exiting with this code still fails its pod: the
    /// manifest is run again with every container exiting so after 5 s,
    /// and its first pod must end Failed (a real bug is not retried in
    /// place).
    FailsOnExit(i32),
    /// A container exiting with this code still fails the Job at once:
    /// the same probe as `FailsOnExit`, and the Job must end Failed with
    /// its first pod (a real bug is not retried, nor ignored).
    JobFailsOnExit(i32),
}

fn text(v: Option<&Value>, what: &str) -> Result<Text, String> {
    let v = v.ok_or_else(|| format!("{what} is required"))?;
    if let Some(s) = v.as_str() {
        return Ok(Text {
            en: s.into(),
            ja: String::new(),
        });
    }
    let get = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let t = Text {
        en: get("en"),
        ja: get("ja"),
    };
    if t.en.is_empty() {
        return Err(format!("{what}.en is required"));
    }
    Ok(t)
}

fn dur(v: &Value, what: &str) -> Result<Ms, String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("{what} must be a duration such as 30s"))?;
    duration::parse(s).map_err(|e| format!("{what}: {e}"))
}

fn count(v: &Value, key: &str, default: u32) -> u32 {
    v.get(key)
        .and_then(Value::as_u64)
        .map_or(default, |n| n.min(u64::from(u32::MAX)) as u32)
}

fn check(v: &Value, what: &str) -> Result<Check, String> {
    let map = v
        .as_mapping()
        .ok_or_else(|| format!("{what} must be a mapping"))?;
    let (key, value) = map
        .iter()
        .next()
        .and_then(|(k, v)| Some((k.as_str()?, v)))
        .ok_or_else(|| format!("{what} is empty"))?;
    let field = |k: &str| v.get(k);
    let what = format!("{what}.{key}");
    Ok(match key {
        "job" => Check::Job {
            condition: value.as_str().unwrap_or_default().to_string(),
            reason: field("reason").and_then(Value::as_str).map(String::from),
            within: field("within").map(|w| dur(w, &what)).transpose()?,
            after: field("after").map(|w| dur(w, &what)).transpose()?,
        },
        "every" => Check::Every(dur(value, &what)?),
        "noEvent" => Check::NoEvent(value.as_str().unwrap_or_default().to_string()),
        "answer" => Check::Answer {
            tolerance: value.get("tolerance").map_or(Ok(1000), |t| dur(t, &what))?,
        },
        "pods" => Check::Pods {
            min: count(value, "min", 0),
            max: count(value, "max", u32::MAX),
        },
        "indexPods" => Check::IndexPods {
            index: count(value, "index", 0),
            min: count(value, "min", 0),
            max: count(value, "max", u32::MAX),
        },
        "indexSucceeded" => Check::IndexSucceeded(
            value
                .as_u64()
                .ok_or_else(|| format!("{what} must be an index"))? as u32,
        ),
        "disrupted" => Check::Disrupted,
        "manifest" => Check::Manifest {
            path: value
                .get("path")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{what}.path is required"))?
                .to_string(),
            equals: value.get("equals").cloned().unwrap_or(Value::Null),
        },
        "container" => Check::Container(value.as_str().unwrap_or_default().to_string()),
        "noOverlap" => Check::NoOverlap,
        "failsOnExit" => Check::FailsOnExit(
            value
                .as_i64()
                .and_then(|c| i32::try_from(c).ok())
                .ok_or_else(|| format!("{what} must be an exit code"))?,
        ),
        "jobFailsOnExit" => Check::JobFailsOnExit(
            value
                .as_i64()
                .and_then(|c| i32::try_from(c).ok())
                .ok_or_else(|| format!("{what} must be an exit code"))?,
        ),
        "jobs" => Check::Jobs {
            min: count(value, "min", 0),
            max: count(value, "max", u32::MAX),
        },
        "jobsCreatedAt" => Check::JobsCreatedAt(
            value
                .as_sequence()
                .ok_or_else(|| format!("{what} must be a list of times"))?
                .iter()
                .map(|t| dur(t, &what))
                .collect::<Result<_, _>>()?,
        ),
        "deletedAfterFinish" => Check::DeletedAfterFinish(dur(value, &what)?),
        other => return Err(format!("{what}: unknown check \"{other}\"")),
    })
}

/// Reads a levels file (`tracks: [...]`, `levels: [...]`).
pub fn parse(file: &str) -> Result<Levels, String> {
    let root: Value = crate::yaml::parse(file).map_err(|e| format!("levels: {e}"))?;
    let tracks = match root.get("tracks").map(Value::as_sequence) {
        None => Vec::new(),
        Some(None) => return Err("levels: tracks must be a list".into()),
        Some(Some(list)) => list
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Ok(Track {
                    id: t
                        .get("id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| format!("tracks[{i}].id is required"))?
                        .to_string(),
                    title: text(t.get("title"), &format!("tracks[{i}].title"))?,
                })
            })
            .collect::<Result<_, String>>()?,
    };
    let list = root
        .get("levels")
        .and_then(Value::as_sequence)
        .ok_or("levels: a list `levels` is required")?;
    list.iter()
        .enumerate()
        .map(|(i, l)| {
            let at = format!("levels[{i}]");
            let id = l
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{at}.id is required"))?
                .to_string();
            let start = match (l.get("seed").and_then(Value::as_str), l.get("scenario")) {
                (Some(seed), None) => Start::Seed(seed.into()),
                (None, Some(Value::String(s))) => Start::Scenario(s.clone()),
                _ => {
                    return Err(format!(
                        "{at}: exactly one of seed or scenario (text) is required"
                    ));
                }
            };
            let hints = match l.get("hints").and_then(Value::as_sequence) {
                Some(h) => h
                    .iter()
                    .enumerate()
                    .map(|(j, h)| text(Some(h), &format!("{at}.hints[{j}]")))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            };
            let checks = l
                .get("checks")
                .and_then(Value::as_sequence)
                .filter(|c| !c.is_empty())
                .ok_or_else(|| format!("{at}.checks: at least one check is required"))?
                .iter()
                .enumerate()
                .map(|(j, c)| check(c, &format!("{at}.checks[{j}]")))
                .collect::<Result<Vec<_>, _>>()?;
            let track = l.get("track").and_then(Value::as_str).map(String::from);
            if let Some(t) = track
                .as_ref()
                .filter(|t| !tracks.iter().any(|k| k.id == **t))
            {
                return Err(format!("{at}.track: no track \"{t}\" in tracks"));
            }
            let solution = match l.get("solution") {
                None => None,
                Some(v) => Some(Solution {
                    text: text(v.get("text"), &format!("{at}.solution.text"))?,
                    manifest: v.get("manifest").cloned(),
                    answer: v.get("answer").and_then(Value::as_str).map(String::from),
                }),
            };
            Ok(Level {
                track,
                difficulty: count(l, "difficulty", 0).min(3) as u8,
                minutes: count(l, "minutes", 0),
                debrief: l
                    .get("debrief")
                    .map(|d| text(Some(d), &format!("{at}.debrief")))
                    .transpose()?,
                docs: l.get("docs").and_then(Value::as_str).map(String::from),
                solution,
                title: text(l.get("title"), &format!("{at}.title"))?,
                goal: text(l.get("goal"), &format!("{at}.goal"))?,
                question: l
                    .get("question")
                    .map(|q| text(Some(q), &format!("{at}.question")))
                    .transpose()?,
                editable: l
                    .get("editable")
                    .and_then(Value::as_sequence)
                    .map(|e| {
                        e.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
                id,
                hints,
                start,
                checks,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|levels| Levels { tracks, levels })
}

impl Levels {
    /// The levels `ids` names, in that order (`?levels=a,b,c`).
    pub fn only(mut self, ids: &[&str]) -> Result<Levels, String> {
        let mut picked = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(i) = self.levels.iter().position(|l| l.id == *id) else {
                let known: Vec<&str> = self.levels.iter().map(|l| l.id.as_str()).collect();
                return Err(format!(
                    "levels: no level \"{id}\" (the levels are {})",
                    known.join(", ")
                ));
            };
            picked.push(self.levels.remove(i));
        }
        self.levels = picked;
        Ok(self)
    }
}

/// A level made in the playground by the level builder: the current
/// scenario plus the checks the author chose.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub id: String,
    pub title: Text,
    pub goal: Text,
    pub hints: Vec<Text>,
    pub editable: Vec<String>,
    /// Set when a check asks for a prediction.
    pub question: Option<Text>,
    /// Checks as the levels file writes them (from `suggestions`).
    pub checks: Vec<Value>,
}

fn entry(key: &str, value: Value) -> Value {
    let mut m = crate::yaml::Mapping::new();
    m.insert(Value::String(key.into()), value);
    Value::Mapping(m)
}

fn with(mut check: Value, key: &str, value: Value) -> Value {
    if let Value::Mapping(m) = &mut check {
        m.insert(Value::String(key.into()), value);
    }
    check
}

fn text_value(t: &Text) -> Value {
    if t.ja.is_empty() {
        return Value::String(t.en.clone());
    }
    with(
        entry("en", Value::String(t.en.clone())),
        "ja",
        Value::String(t.ja.clone()),
    )
}

/// Checks that hold for this run, for the level builder to offer: how the
/// Job ended (and about when), its pod count, a prediction of when it
/// ended; for a CronJob, its Job count and whether they overlapped.
pub fn suggestions(outcome: &Outcome) -> Vec<Value> {
    let t = |ms: Ms| Value::String(duration::format(ms));
    let count = |n: usize| with(entry("min", n.into()), "max", n.into());
    let trace = &outcome.trace;
    let mut out = Vec::new();
    if !trace.cron_jobs.is_empty() {
        let jobs = outcome.cron_jobs().count();
        out.push(entry("jobs", count(jobs)));
        if overlap(outcome).is_none() {
            out.push(entry("noOverlap", Value::Bool(true)));
        }
        return out;
    }
    if let Some((at, status)) = outcome.finished(0)
        && let Some(c) = status.finished_condition()
    {
        // A tenth of the time either way (at least 5 s), in whole seconds.
        let slack = (at / 10).max(5_000) / 1000 * 1000;
        let job = entry("job", Value::String(c.type_.as_str().into()));
        let job = with(job, "reason", Value::String(c.reason.clone()));
        let job = with(job, "after", t(at.saturating_sub(slack)));
        out.push(with(job, "within", t(at + slack)));
        out.push(entry("answer", entry("tolerance", t(5_000))));
    }
    let pods = trace.pods.iter().filter(|p| p.job == 0).count();
    out.push(entry("pods", count(pods)));
    if disrupted(outcome) {
        out.push(entry("disrupted", Value::Bool(true)));
    }
    out
}

/// A check in one line, as the builder lists it (`job: Failed, reason: …`).
pub fn check_line(check: &Value) -> String {
    let scalar = |v: &Value| crate::yaml::scalar(v, 0);
    let entry = |(k, v): (&Value, &Value)| match v {
        Value::Mapping(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
                .collect();
            format!("{}: {{{}}}", scalar(k), inner.join(", "))
        }
        v => format!("{}: {}", scalar(k), scalar(v)),
    };
    let entries: Vec<String> = check
        .as_mapping()
        .into_iter()
        .flatten()
        .map(entry)
        .collect();
    entries.join(", ")
}

/// The levels file of one drafted level on `scenario` (a scenario file).
pub fn level_file(draft: &Draft, scenario: &str) -> String {
    let s = |v: &str| Value::String(v.into());
    let mut level = entry("id", s(&draft.id));
    level = with(level, "title", text_value(&draft.title));
    level = with(level, "goal", text_value(&draft.goal));
    level = with(level, "scenario", s(scenario));
    let editable = draft.editable.iter().map(|e| s(e)).collect();
    level = with(level, "editable", Value::Sequence(editable));
    if let Some(q) = &draft.question {
        level = with(level, "question", text_value(q));
    }
    if !draft.hints.is_empty() {
        let hints = draft.hints.iter().map(text_value).collect();
        level = with(level, "hints", Value::Sequence(hints));
    }
    level = with(level, "checks", Value::Sequence(draft.checks.clone()));
    let file = entry("levels", Value::Sequence(vec![level]));
    format!(
        "# A workshop level made with the playground's level builder (format: docs/levels.md).\n{}",
        crate::yaml::to_yaml(&file)
    )
}

/// The scenario the level's solution makes: its own scenario with the
/// solution's manifest patch applied.
pub fn solved(level: &Level, own: &Scenario) -> Option<Scenario> {
    let patch = level.solution.as_ref()?.manifest.as_ref()?;
    let mut scenario = own.clone();
    crate::admission::patch::merge_patch(&mut scenario.manifest, patch);
    Some(scenario)
}

/// How a learner solved one level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    /// From opening the level to solving it (unknown for old records).
    pub seconds: Option<u32>,
    pub hints: u32,
    /// The solution was shown first.
    pub solution: bool,
}

/// The levels solved in this browser (local storage: no server).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress(pub Vec<Record>);

impl Progress {
    /// `id:seconds:hints[:s],…`; a bare `id` (what the first releases
    /// wrote) is a level solved at an unknown pace.
    pub fn read(text: &str) -> Progress {
        let record = |entry: &str| {
            let mut parts = entry.split(':');
            let id = parts.next().filter(|id| !id.is_empty())?.to_string();
            let seconds = parts.next().and_then(|s| s.parse().ok());
            let hints = parts.next().and_then(|h| h.parse().ok()).unwrap_or(0);
            let solution = parts.next() == Some("s");
            Some(Record {
                id,
                seconds,
                hints,
                solution,
            })
        };
        Progress(text.split(',').filter_map(record).collect())
    }

    pub fn write(&self) -> String {
        let entry = |r: &Record| {
            let seconds = r.seconds.map(|s| s.to_string()).unwrap_or_default();
            let solution = if r.solution { ":s" } else { "" };
            format!("{}:{seconds}:{}{solution}", r.id, r.hints)
        };
        let entries: Vec<String> = self.0.iter().map(entry).collect();
        entries.join(",")
    }

    pub fn get(&self, id: &str) -> Option<&Record> {
        self.0.iter().find(|r| r.id == id)
    }

    /// Records a level solved; the first time counts.
    pub fn solve(&mut self, record: Record) {
        if self.get(&record.id).is_none() {
            self.0.push(record);
        }
    }

    /// A record's time and hints in words (`2m10s · 1 hint`).
    pub fn pace(record: &Record, locale: Locale) -> String {
        let time = record.seconds.map(|s| duration::format(Ms::from(s) * 1000));
        let hints = match (locale, record.hints) {
            (Locale::Ja, n) => format!("ヒント {n} 個"),
            (_, 1) => "1 hint".to_string(),
            (_, n) => format!("{n} hints"),
        };
        let solution = match (record.solution, locale) {
            (false, _) => None,
            (true, Locale::Ja) => Some("解答を表示済み".to_string()),
            (true, _) => Some("solution shown".to_string()),
        };
        let parts: Vec<String> = time.into_iter().chain([hints]).chain(solution).collect();
        parts.join(" · ")
    }

    /// The summary a learner copies or prints: levels solved, hints and
    /// time, one line per level of `levels`.
    pub fn summary(&self, levels: &[Level], locale: Locale) -> String {
        let solved: Vec<&Record> = levels.iter().filter_map(|l| self.get(&l.id)).collect();
        let hints: u32 = solved.iter().map(|r| r.hints).sum();
        let seconds: u32 = solved.iter().filter_map(|r| r.seconds).sum();
        let time = duration::format(Ms::from(seconds) * 1000);
        let (n, total) = (solved.len(), levels.len());
        let mut out = match locale {
            Locale::Ja => format!(
                "Kubernetes Job プレイグラウンド ワークショップのまとめ\n{total} レベル中 {n} レベルをクリア · ヒント {hints} 個 · {time}\n"
            ),
            _ => format!(
                "Kubernetes Job Playground workshop summary\nSolved {n} of {total} levels · {hints} hints · {time}\n"
            ),
        };
        for l in levels {
            let line = match self.get(&l.id) {
                Some(r) => format!(
                    "✓ {} — {}\n",
                    l.title.get(locale),
                    Progress::pace(r, locale)
                ),
                None => format!("– {}\n", l.title.get(locale)),
            };
            out.push_str(&line);
        }
        out
    }
}

/// What a failing check says, in English and Japanese; `{0}`, `{1}` ...
/// are its values.
const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "too-early",
        "The Job ended {0} at {1}; not before {2}.",
        "Job が {0} になったのは {1} です。{2} より前ではいけません。",
    ),
    (
        "event",
        "The CronJob still records {0} (at {1}).",
        "CronJob はまだ {0} を記録しています ({1})。",
    ),
    (
        "every",
        "The schedule fires every {0}; the goal is every {1}.",
        "スケジュールの間隔は {0} です。目標は {1} ごとです。",
    ),
    (
        "bug-retried",
        "A container that exits with {0} (a real bug) must fail the Job at once; here the Job made {1} pods first.",
        "終了コード {0} で終わるコンテナ (本当のバグ) では Job がすぐに失敗する必要があります。ここでは Job は先に {1} 個の Pod を作りました。",
    ),
    (
        "bug-ignored",
        "A container that exits with {0} (a real bug) must fail the Job at once; here the Job does not fail.",
        "終了コード {0} で終わるコンテナ (本当のバグ) では Job がすぐに失敗する必要があります。ここでは Job が失敗しません。",
    ),
    (
        "changed-predict",
        "This level asks only for your prediction: keep the scenario as the level set it (reset the level).",
        "このレベルで答えるのは予想だけです。シナリオはレベルのままにしてください (レベルをリセット)。",
    ),
    (
        "changed-manifest",
        "This level is about {0}; another part of the manifest was changed. Reset the level and change only that.",
        "このレベルで変えるのは {0} です。マニフェストのほかの部分が変更されています。レベルをリセットして、そこだけを変えてください。",
    ),
    (
        "changed-behavior",
        "This level is about {0}; the Container behaviour was changed. Reset the level and change only that.",
        "このレベルで変えるのは {0} です。コンテナの振る舞いが変更されています。レベルをリセットして、そこだけを変えてください。",
    ),
    (
        "changed-actions",
        "This level is about {0}; the injected actions were changed. Reset the level and change only that.",
        "このレベルで変えるのは {0} です。注入したアクションが変更されています。レベルをリセットして、そこだけを変えてください。",
    ),
    (
        "changed-version",
        "This level is about {0}; the Kubernetes version was changed. Reset the level and change only that.",
        "このレベルで変えるのは {0} です。Kubernetes のバージョンが変更されています。レベルをリセットして、そこだけを変えてください。",
    ),
    (
        "changed-settings",
        "This level is about {0}; the scenario's settings (until, seed, clock) were changed. Reset the level.",
        "このレベルで変えるのは {0} です。シナリオの設定 (until、seed、clock) が変更されています。レベルをリセットしてください。",
    ),
    (
        "unfinished",
        "The Job has not finished; it must end {0}.",
        "Job が終了していません。{0} で終わる必要があります。",
    ),
    (
        "ended",
        "The Job ended {1}; it must end {0}.",
        "Job は {1} で終わりました。{0} で終わる必要があります。",
    ),
    (
        "reason",
        "The Job ended {0} with reason {1}; the goal is reason {2}.",
        "Job は理由 {1} で {0} になりました。目標は理由 {2} です。",
    ),
    (
        "late",
        "The Job ended {0} at {1}; it must end by {2}.",
        "Job が {0} になったのは {1} です。{2} までに終わる必要があります。",
    ),
    (
        "no-answer",
        "Enter your prediction as a time, such as 5m30s.",
        "予想を 5m30s のような経過時間 (開始からの時間) で入力してください。",
    ),
    (
        "never",
        "The Job does not finish in this run; reset the level and try again.",
        "この実行では Job が終了しません。レベルをリセットしてやり直してください。",
    ),
    (
        "early",
        "Not quite: you said {0}; the Job ended {1} at {2}, {3} later. Watch the run to see where the time went.",
        "惜しい: 予想は {0} でしたが、Job が {1} になったのは {2} で、予想より {3} 遅い時刻でした。実行を再生して、時間がどこでかかったか確かめましょう。",
    ),
    (
        "too-late",
        "Not quite: you said {0}; the Job ended {1} at {2}, {3} earlier. Watch the run to see why.",
        "惜しい: 予想は {0} でしたが、Job が {1} になったのは {2} で、予想より {3} 早い時刻でした。実行を再生して、理由を確かめましょう。",
    ),
    (
        "predicted",
        "The Job ended {0} at {1}; you said {2}.",
        "Job が {0} になったのは {1} で、予想は {2} でした。",
    ),
    (
        "pods",
        "The Job created {0} pods; the goal is {1}.",
        "Job は Pod を {0} 個作りました。目標は {1} 個です。",
    ),
    (
        "index-pods",
        "Index {0} had {1} pods; the goal is {2}.",
        "インデックス {0} の Pod は {1} 個でした。目標は {2} 個です。",
    ),
    (
        "index-failed",
        "Index {0} did not succeed.",
        "インデックス {0} が成功していません。",
    ),
    (
        "evicted",
        "Keep the eviction: no pod was disrupted.",
        "退避 (eviction) は残してください: 中断された Pod がありません。",
    ),
    (
        "keep",
        "Keep {0}: {1} as it was.",
        "{0}: {1} はそのままにしてください。",
    ),
    (
        "container",
        "Keep the container {0}: the batch needs it.",
        "コンテナ {0} は残してください: バッチに必要です。",
    ),
    (
        "overlap",
        "{0} and {1} ran at the same time (from {2}).",
        "{0} と {1} が同時に実行されました ({2} から)。",
    ),
    (
        "jobs",
        "The CronJob created {0} Jobs; the goal is {1}.",
        "CronJob は Job を {0} 個作りました。目標は {1} 個です。",
    ),
    (
        "created-at",
        "Jobs were created at {0}; the goal is {1}.",
        "Job が作られた時刻は {0} です。目標は {1} です。",
    ),
    (
        "ttl",
        "The Job was deleted {0} after it finished; the goal is {1}.",
        "Job は終了の {0} 後に削除されました。目標は {1} 後です。",
    ),
    (
        "retried",
        "A container that exits with {0} (a real bug) must still fail its pod; here the pod ended {1}.",
        "終了コード {0} (本当のバグ) で終わるコンテナの Pod は失敗しなければなりません。この Pod は {1} で終わりました。",
    ),
    (
        "no-ttl",
        "The finished Job is never deleted; the goal is {0} after it finishes.",
        "終了した Job が削除されません。目標は終了の {0} 後です。",
    ),
];

/// A failing check: its message key and values.
struct Miss(&'static str, Vec<String>);

fn miss(key: &'static str, values: &[&dyn std::fmt::Display]) -> Option<Miss> {
    Some(Miss(key, values.iter().map(|v| v.to_string()).collect()))
}

impl Miss {
    fn say(&self, locale: Locale) -> String {
        let (_, en, ja) = MESSAGES
            .iter()
            .find(|(k, _, _)| *k == self.0)
            .unwrap_or(&("", "{0}", "{0}"));
        let mut text = if locale == Locale::Ja { ja } else { en }.to_string();
        for (i, v) in self.1.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), v);
        }
        text
    }
}

fn has_container(v: &Value, name: &str) -> bool {
    match v {
        Value::Mapping(m) => m.iter().any(|(k, v)| {
            let list = matches!(k.as_str(), Some("containers" | "initContainers"));
            (list
                && v.as_sequence().is_some_and(|s| {
                    s.iter()
                        .any(|c| c.get("name").and_then(Value::as_str) == Some(name))
                }))
                || has_container(v, name)
        }),
        Value::Sequence(s) => s.iter().any(|v| has_container(v, name)),
        _ => false,
    }
}

/// Whether the run meets the level's goal: `Ok` when every check holds
/// (with, for a prediction, how close it was), else what the first
/// failing check misses, in the UI's language. `answer` is the user's
/// prediction (a duration such as `9m6s`).
pub fn verdict(
    level: &Level,
    start: &Scenario,
    outcome: &Outcome,
    answer: &str,
    locale: Locale,
) -> Result<String, String> {
    if let Some(m) = changed(level, start, &outcome.scenario) {
        return Err(m.say(locale));
    }
    // A prediction is about the level's own run, whatever is on screen.
    let own;
    let judged = if level
        .checks
        .iter()
        .any(|c| matches!(c, Check::Answer { .. }))
    {
        own = crate::run::run(start.clone(), crate::sim::world::Limits::default())
            .map_err(|e| e.to_string())?;
        &own
    } else {
        outcome
    };
    if let Some(m) = level.checks.iter().find_map(|c| missing(c, judged, answer)) {
        return Err(m.say(locale));
    }
    let predicts = level
        .checks
        .iter()
        .any(|c| matches!(c, Check::Answer { .. }));
    let predicted = prediction(judged, answer)
        .filter(|_| predicts)
        .map(|(guess, at, how)| {
            let t = duration::format;
            Miss("predicted", vec![how.into(), t(at), t(guess)]).say(locale)
        });
    Ok(predicted.unwrap_or_default())
}

/// A prediction, and when and how the (first) Job ended.
fn prediction(outcome: &Outcome, answer: &str) -> Option<(Ms, Ms, &'static str)> {
    let guess = duration::parse(answer.trim()).ok()?;
    let (at, status) = outcome.finished(0)?;
    let how = if status.is_true(ConditionType::Complete) {
        "Complete"
    } else {
        "Failed"
    };
    Some((guess, at, how))
}

/// The first part of the scenario the learner changed outside what the
/// level lets them change.
fn changed(level: &Level, start: &Scenario, now: &Scenario) -> Option<Miss> {
    let may = |part: &str| level.editable.iter().any(|e| e == part);
    let about = level.editable.join(", ");
    let without_editable = |manifest: &Value| {
        let mut m = manifest.clone();
        for path in &level.editable {
            remove_path(&mut m, path);
        }
        m
    };
    let key = if without_editable(&start.manifest) != without_editable(&now.manifest) {
        "changed-manifest"
    } else if !may("behavior") && start.behavior != now.behavior {
        "changed-behavior"
    } else if !may("actions") && start.actions != now.actions {
        "changed-actions"
    } else if !may("kubernetesVersion") && start.kubernetes_version != now.kubernetes_version {
        "changed-version"
    } else if start.until != now.until || start.seed != now.seed || start.clock != now.clock {
        "changed-settings"
    } else {
        return None;
    };
    if level.editable.is_empty() {
        return miss("changed-predict", &[]);
    }
    miss(key, &[&about])
}

/// Removes the key at a dotted path (`spec.template.spec.containers`).
fn remove_path(v: &mut Value, path: &str) {
    match path.split_once('.') {
        Some((head, rest)) => {
            if let Some(inner) = v.get_mut(head) {
                remove_path(inner, rest);
            }
        }
        None => {
            if let Value::Mapping(m) = v {
                m.remove(path);
            }
        }
    }
}

/// Some pod was disrupted (it has the DisruptionTarget condition).
fn disrupted(outcome: &Outcome) -> bool {
    outcome.trace.pods.iter().any(|p| {
        p.conditions
            .iter()
            .any(|c| c.kind == crate::sim::world::PodText::DisruptionTarget && c.status)
    })
}

/// Two of a CronJob's Jobs that ran at the same time, and from when.
fn overlap(outcome: &Outcome) -> Option<(&str, &str, Ms)> {
    let end = |j: &crate::sim::world::JobObject, i: usize| {
        outcome
            .finished(i)
            .map(|(at, _)| at)
            .into_iter()
            .chain(j.gone_at)
            .min()
            .unwrap_or(outcome.ended_at)
    };
    let spans: Vec<(Ms, Ms, &str)> = outcome
        .cron_jobs()
        .map(|(i, j)| (j.created_at, end(j, i), j.name.as_str()))
        .collect();
    spans.iter().enumerate().find_map(|(i, a)| {
        let b = spans[i + 1..].iter().find(|b| b.0 < a.1 && a.0 < b.1)?;
        Some((a.2, b.2, b.0))
    })
}

fn missing(check: &Check, outcome: &Outcome, answer: &str) -> Option<Miss> {
    let trace = &outcome.trace;
    let pods_of = |job: usize| trace.pods.iter().filter(move |p| p.job == job);
    let t = duration::format;
    let count_miss = |key, n: usize, min: u32, max: u32, what: &[&dyn std::fmt::Display]| {
        let n = n as u32;
        if n < min || n > max {
            let (n, r) = (n, range(min, max));
            let mut values: Vec<&dyn std::fmt::Display> = what.to_vec();
            values.push(&n);
            values.push(&r);
            miss(key, &values)
        } else {
            None
        }
    };
    match check {
        Check::Job {
            condition,
            reason,
            within,
            after,
        } => {
            let Some((at, status)) = outcome.finished(0) else {
                return miss("unfinished", &[condition]);
            };
            let found = status
                .conditions
                .iter()
                .find(|c| c.type_.as_str() == condition);
            let Some(c) = found.filter(|c| c.status) else {
                let other = if status.is_true(ConditionType::Complete) {
                    "Complete"
                } else {
                    "Failed"
                };
                return miss("ended", &[condition, &other]);
            };
            if let Some(r) = reason.as_ref().filter(|r| c.reason != **r) {
                return miss("reason", &[condition, &c.reason, r]);
            }
            if let Some(a) = after.filter(|a| at < *a) {
                return miss("too-early", &[condition, &t(at), &t(a)]);
            }
            within
                .filter(|w| at > *w)
                .and_then(|w| miss("late", &[condition, &t(at), &t(w)]))
        }
        Check::NoEvent(reason) => {
            let seen = trace.events.iter().find(|e| *e.reason == **reason);
            seen.and_then(|e| miss("event", &[reason, &t(e.at)]))
        }
        Check::Every(interval) => {
            let times = crate::view::cronjob::upcoming(trace, 0, 0, 3);
            let apart: Vec<Ms> = times
                .windows(2)
                .map(|w| ((w[1] - w[0]).max(0) * 1000) as Ms)
                .collect();
            match apart.iter().find(|&&a| a != *interval) {
                None if !apart.is_empty() => None,
                found => miss(
                    "every",
                    &[&found.map_or("-".into(), |&a| t(a)), &t(*interval)],
                ),
            }
        }
        Check::Answer { tolerance } => {
            if duration::parse(answer.trim()).is_err() {
                return miss("no-answer", &[]);
            }
            let Some((guess, at, how)) = prediction(outcome, answer) else {
                return miss("never", &[]);
            };
            if guess.abs_diff(at) <= *tolerance {
                None
            } else {
                let off = t(guess.abs_diff(at));
                let key = if guess < at { "early" } else { "too-late" };
                miss(key, &[&t(guess), &how, &t(at), &off])
            }
        }
        Check::Pods { min, max } => count_miss("pods", pods_of(0).count(), *min, *max, &[]),
        Check::IndexPods { index, min, max } => count_miss(
            "index-pods",
            pods_of(0).filter(|p| p.index == Some(*index)).count(),
            *min,
            *max,
            &[index],
        ),
        Check::IndexSucceeded(index) => {
            let done = trace.jobs.first().is_some_and(|j| {
                crate::sim::job::indexes::IndexSet::parse(&j.status.completed_indexes, u32::MAX)
                    .contains(*index)
            });
            if done {
                None
            } else {
                miss("index-failed", &[index])
            }
        }
        Check::Disrupted => {
            if disrupted(outcome) {
                None
            } else {
                miss("evicted", &[])
            }
        }
        Check::Manifest { path, equals } => {
            let got = path
                .split('.')
                .try_fold(&outcome.scenario.manifest, |v, k| v.get(k));
            if got == Some(equals) {
                None
            } else {
                miss("keep", &[path, &crate::yaml::to_yaml(equals).trim_end()])
            }
        }
        Check::Container(name) => {
            if has_container(&outcome.scenario.manifest, name) {
                None
            } else {
                miss("container", &[name])
            }
        }
        Check::NoOverlap => {
            let (a, b, from) = overlap(outcome)?;
            miss("overlap", &[&a, &b, &t(from)])
        }
        Check::Jobs { min, max } => {
            count_miss("jobs", outcome.cron_jobs().count(), *min, *max, &[])
        }
        Check::JobsCreatedAt(times) => {
            let got: Vec<Ms> = outcome
                .cron_jobs()
                .map(|(_, j)| j.created_at / 1000 * 1000)
                .collect();
            let list = |v: &[Ms]| {
                if v.is_empty() {
                    "–".to_string()
                } else {
                    v.iter().map(|&m| t(m)).collect::<Vec<_>>().join(", ")
                }
            };
            if got == *times {
                None
            } else {
                miss("created-at", &[&list(&got), &list(times)])
            }
        }
        Check::DeletedAfterFinish(after) => {
            let gap = outcome
                .finished(0)
                .zip(trace.jobs.first().and_then(|j| j.gone_at))
                .map(|((f, _), g)| g.saturating_sub(f));
            match gap {
                Some(g) if g.abs_diff(*after) <= 1000 => None,
                Some(g) => miss("ttl", &[&t(g), &t(*after)]),
                None => miss("no-ttl", &[&t(*after)]),
            }
        }
        Check::FailsOnExit(code) => {
            let ended =
                bug_probe(outcome, *code).and_then(|o| o.trace.pods.first().map(|p| p.phase));
            match ended {
                Some(crate::sim::world::Phase::Failed) => None,
                Some(phase) => miss("retried", &[code, &phase.as_str()]),
                None => miss("retried", &[code, &"-"]),
            }
        }
        Check::JobFailsOnExit(code) => {
            let probe = bug_probe(outcome, *code)?;
            let pods = probe.trace.pods.len();
            match probe.finished(0) {
                Some((_, s)) if s.is_true(ConditionType::Failed) && pods == 1 => None,
                Some((_, s)) if s.is_true(ConditionType::Failed) => {
                    miss("bug-retried", &[code, &pods])
                }
                _ => miss("bug-ignored", &[code]),
            }
        }
    }
}

/// The run again with every container exiting `code` after 5 s (a real
/// bug) and no actions.
fn bug_probe(outcome: &Outcome, code: i32) -> Option<Outcome> {
    let mut probe = outcome.scenario.clone();
    probe.behavior = crate::scenario::Behavior::default();
    probe.behavior.default.run_for = Some(crate::scenario::duration::RunFor::For(5_000));
    probe.behavior.default.exit_code = Some(code);
    probe.actions.clear();
    probe.until = Some(10 * crate::time::MINUTE);
    crate::run::run(probe, crate::sim::world::Limits::default()).ok()
}

fn range(min: u32, max: u32) -> String {
    match (min, max) {
        (a, b) if a == b => a.to_string(),
        (0, b) => format!("≤ {b}"),
        (a, u32::MAX) => format!("≥ {a}"),
        (a, b) => format!("{a}–{b}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_key_used_is_in_the_table() {
        let source = include_str!("levels.rs")
            .split("#[cfg(test)]")
            .next()
            .unwrap();
        let used = source.split("miss(").skip(1).filter_map(|rest| {
            let rest = rest.trim_start().strip_prefix('"')?;
            Some(&rest[..rest.find('"')?])
        });
        let mut n = 0;
        let changed = [
            "changed-manifest",
            "changed-behavior",
            "changed-actions",
            "changed-version",
            "changed-settings",
        ];
        for key in used.chain(["early", "too-late"]).chain(changed) {
            assert!(MESSAGES.iter().any(|(k, _, _)| *k == key), "{key}");
            n += 1;
        }
        assert!(n >= MESSAGES.len(), "{n} uses");
    }
}
