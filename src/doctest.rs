//! `jobsim doc-test`: claims a documentation page makes about its Job and
//! CronJob examples, checked by running them. A page (Markdown, or HTML as
//! a docs site renders it) has code blocks; a block whose YAML is a
//! batch/v1 Job or CronJob, followed by an annotation the page does not
//! show,
//!
//! ```text
//! <!-- jobsim: behavior: {default: {exitCode: 42, runFor: 30s}}; expect: failed-within 2m -->
//! ```
//!
//! is run with that behaviour, and each `expect:` is compared with what the
//! simulation says. The format is in docs/doc-test.md.

use crate::run::Outcome;
use crate::scenario::duration;
use crate::sim::world::ConditionType;
use crate::time::Ms;

/// A code block of a page: where it starts (1-based line), its text, and
/// the annotation that follows it (its line and text after `jobsim:`).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub line: usize,
    pub code: String,
    pub annotation: Option<(usize, String)>,
}

/// Whether YAML text is a batch/v1 Job or CronJob (what the playground's
/// "Simulate" button and doc-test take).
pub fn is_job_yaml(code: &str) -> bool {
    let top = |key: &str| {
        code.lines()
            .filter_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().trim_matches(['"', '\'']))
            .collect::<Vec<_>>()
    };
    top("apiVersion:").contains(&"batch/v1")
        && top("kind:").iter().any(|k| matches!(*k, "Job" | "CronJob"))
}

/// The code blocks of a Markdown page (fenced with ``` or ~~~).
pub fn markdown_blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let indent = lines[i].len() - trimmed.len();
        let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut code = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim_start().starts_with(fence) {
            let l = lines[i];
            code.push(
                l.get(indent.min(l.len() - l.trim_start().len())..)
                    .unwrap_or(""),
            );
            i += 1;
        }
        i += 1;
        // The annotation: the next lines that are not blank, if they are one.
        let mut j = i;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        let annotation = annotation_at(&lines[j.min(lines.len())..], j);
        out.push(Block {
            line: start + 1,
            code: code.join("\n") + "\n",
            annotation,
        });
    }
    out
}

/// The most lines an annotation spans (an unclosed comment is not read to
/// the end of the page for every block).
const ANNOTATION_LINES: usize = 50;

/// An HTML comment `<!-- jobsim: ... -->` starting the lines, and its line.
fn annotation_at(lines: &[&str], index: usize) -> Option<(usize, String)> {
    let first = lines.first()?.trim_start();
    let rest = first.strip_prefix("<!--")?.trim_start();
    rest.strip_prefix("jobsim:")?;
    let mut text = String::new();
    for l in lines.iter().take(ANNOTATION_LINES) {
        text.push_str(l.trim());
        text.push(' ');
        if l.contains("-->") {
            break;
        }
    }
    let body = text.trim().trim_start_matches("<!--").trim_start();
    let body = body.strip_prefix("jobsim:")?;
    let body = body.split("-->").next()?.trim();
    Some((index + 1, body.to_string()))
}

/// Whether a tag is of a line number (Chroma's `lnt`/`ln`, Pygments'
/// `linenos`, Docusaurus' `codeLineNumber`): its text is not code.
fn is_line_number(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    [
        "linenos",
        "lnt",
        "class=\"ln\"",
        "linenumber",
        "line-number",
    ]
    .iter()
    .any(|c| tag.contains(c))
}

/// The text of HTML: tags removed (line numbers skipped, `<br>` a new
/// line), entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    // Inside a line number: its tag's name and how deep.
    let mut skip: Option<(String, usize)> = None;
    while let Some(lt) = rest.find('<') {
        if skip.is_none() {
            out.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match &mut skip {
            Some((n, depth)) if *n == name => {
                if closing {
                    *depth -= 1;
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
                if *depth == 0 {
                    skip = None;
                }
            }
            Some(_) => {}
            None if !closing && is_line_number(tag) => skip = Some((name, 1)),
            None if name == "br" => out.push('\n'),
            None => {}
        }
    }
    if skip.is_none() {
        out.push_str(rest);
    }
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The code blocks of an HTML page (`<pre>`, as Hugo, mdBook, Docusaurus
/// and MkDocs render them).
pub fn html_blocks(html: &str) -> Vec<Block> {
    // Line numbers, counted once through the page (positions only grow).
    let (mut counted, mut line) = (0, 1);
    let mut line_of = |at: usize| {
        line += html[counted..at].matches('\n').count();
        counted = at;
        line
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = html[from..].find("<pre").map(|i| from + i) {
        let Some(close) = html[open..].find("</pre>").map(|i| open + i) else {
            break;
        };
        let code = html_text(&html[open..close]);
        let code = code.trim_start_matches('\n').to_string();
        let block_line = line_of(open);
        from = close + "</pre>".len();
        // The annotation: the next comment, with only closing tags and
        // space between.
        let after = &html[from..];
        let mut k = 0;
        loop {
            let rest = after[k..].trim_start();
            k = after.len() - rest.len();
            match rest.strip_prefix("</") {
                Some(r) => k += 2 + r.find('>').map_or(r.len(), |g| g + 1),
                None => break,
            }
        }
        let lines: Vec<&str> = after[k..].lines().take(ANNOTATION_LINES).collect();
        let annotation = annotation_at(&lines, line_of(from + k) - 1);
        out.push(Block {
            line: block_line,
            code: if code.ends_with('\n') {
                code
            } else {
                code + "\n"
            },
            annotation,
        });
    }
    out
}

/// One thing a page says about a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Claim {
    /// The (first) Job ends with this condition (`complete`, `failed`).
    Ends(ConditionType),
    /// ... with this reason.
    Reason(String),
    /// It ends (with this condition, if any) by then.
    Within(Option<ConditionType>, Ms),
    /// It ends (with this condition, if any) not before then.
    After(Option<ConditionType>, Ms),
    /// It ends at this time, give or take.
    At(Ms, Ms),
    /// The Job created this many pods.
    Pods(usize),
    /// `status.completedIndexes` at the end.
    CompletedIndexes(String),
    /// The CronJob created this many Jobs.
    Jobs(usize),
}

/// What an annotation asks: the scenario's additions and the claims.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotation {
    /// `behavior:` (YAML), `release:`, `until:`, as the scenario file writes them.
    pub behavior: Option<String>,
    pub release: Option<String>,
    pub until: Option<String>,
    pub claims: Vec<(String, Claim)>,
}

const CLAIMS: &str = "complete, failed, reason R, complete-within D, failed-within D, finishes-within D, complete-after D, failed-after D, finishes-after D, finishes-at D [±T], pods N, completed-indexes L, jobs N";

fn condition(word: &str) -> Option<Option<ConditionType>> {
    match word {
        "complete" => Some(Some(ConditionType::Complete)),
        "failed" => Some(Some(ConditionType::Failed)),
        "finishes" => Some(None),
        _ => None,
    }
}

fn claim(text: &str) -> Result<Claim, String> {
    let mut words = text.split_whitespace();
    let head = words.next().unwrap_or_default();
    let arg = words.next();
    let dur = |a: Option<&str>| -> Result<Ms, String> {
        let a = a.ok_or_else(|| format!("\"{text}\": a duration is missing (such as 2m)"))?;
        duration::parse(a).map_err(|e| format!("\"{text}\": {e}"))
    };
    let count = |a: Option<&str>| -> Result<usize, String> {
        a.and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("\"{text}\": a number is missing"))
    };
    if let Some(c) = condition(head).flatten().filter(|_| arg.is_none()) {
        return Ok(Claim::Ends(c));
    }
    if let Some((what, when)) = head.split_once('-')
        && let Some(c) = condition(what)
    {
        return match when {
            "within" => Ok(Claim::Within(c, dur(arg)?)),
            "after" => Ok(Claim::After(c, dur(arg)?)),
            "at" if c.is_none() => {
                let at = dur(arg)?;
                let tolerance = match words.next() {
                    Some(t) => dur(Some(t.trim_start_matches('±').trim_start_matches("+-")))?,
                    None => (at / 20).max(5_000),
                };
                Ok(Claim::At(at, tolerance))
            }
            _ => Err(format!("unknown claim \"{text}\" (claims: {CLAIMS})")),
        };
    }
    match head {
        "reason" => Ok(Claim::Reason(
            arg.ok_or_else(|| format!("\"{text}\": a reason is missing"))?
                .to_string(),
        )),
        "pods" => Ok(Claim::Pods(count(arg)?)),
        "jobs" => Ok(Claim::Jobs(count(arg)?)),
        "completed-indexes" => Ok(Claim::CompletedIndexes(
            arg.ok_or_else(|| format!("\"{text}\": the indexes are missing"))?
                .to_string(),
        )),
        _ => Err(format!("unknown claim \"{text}\" (claims: {CLAIMS})")),
    }
}

/// Reads an annotation's text (after `jobsim:`): `key: value` parts
/// separated by `;`.
pub fn annotation(text: &str) -> Result<Annotation, String> {
    let mut a = Annotation::default();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once(':').ok_or_else(|| {
            format!("\"{part}\" is not key: value (keys: behavior, release, until, expect)")
        })?;
        let value = value.trim().to_string();
        match key.trim() {
            "behavior" => a.behavior = Some(value),
            "release" => a.release = Some(value),
            "until" => a.until = Some(value),
            "expect" => {
                let c = claim(&value)?;
                a.claims.push((value, c));
            }
            other => {
                return Err(format!(
                    "unknown key \"{other}\" (keys: behavior, release, until, expect)"
                ));
            }
        }
    }
    if a.claims.is_empty() {
        return Err("no claim: add expect: (such as expect: failed-within 2m)".into());
    }
    Ok(a)
}

/// The scenario file of a block with its annotation.
pub fn scenario(code: &str, a: &Annotation) -> String {
    let mut out = String::from("scenario: v1\n");
    if let Some(r) = &a.release {
        out.push_str(&format!("kubernetesVersion: \"{}\"\n", r.trim_matches('"')));
    }
    if let Some(u) = &a.until {
        out.push_str(&format!("until: {u}\n"));
    }
    out.push_str("manifest:\n");
    for line in code.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    if let Some(b) = &a.behavior {
        out.push_str(&format!("behavior: {b}\n"));
    }
    out
}

/// How the first Job ended: when, its condition and reason.
fn ending(outcome: &Outcome) -> Option<(Ms, ConditionType, String)> {
    let (at, status) = outcome.finished(0)?;
    let c = status.finished_condition()?;
    Some((at, c.type_, c.reason.clone()))
}

/// What the simulation says, in one sentence (`the Job failed at 9m5s
/// (BackoffLimitExceeded, 7 pods)`).
pub fn said(outcome: &Outcome) -> String {
    let pods = outcome.trace.pods.iter().filter(|p| p.job == 0).count();
    if !outcome.trace.cron_jobs.is_empty() {
        let jobs = outcome.cron_jobs().count();
        return format!(
            "the CronJob created {jobs} Jobs by {}",
            duration::format(outcome.ended_at)
        );
    }
    match ending(outcome) {
        Some((at, c, reason)) => {
            let how = if c == ConditionType::Complete {
                "completed"
            } else {
                "failed"
            };
            let reason = if reason.is_empty() {
                String::new()
            } else {
                format!("{reason}, ")
            };
            format!(
                "the Job {how} at {} ({reason}{})",
                duration::format(at),
                pods_text(pods)
            )
        }
        None => format!(
            "the Job had not finished at {} ({})",
            duration::format(outcome.ended_at),
            pods_text(pods)
        ),
    }
}

fn pods_text(n: usize) -> String {
    if n == 1 {
        "1 pod".into()
    } else {
        format!("{n} pods")
    }
}

/// Whether a claim holds for a run.
pub fn holds(claim: &Claim, outcome: &Outcome) -> bool {
    let end = ending(outcome);
    let is = |c: &Option<ConditionType>, e: ConditionType| c.is_none_or(|c| c == e);
    match claim {
        Claim::Ends(c) => end.is_some_and(|(_, e, _)| e == *c),
        Claim::Reason(r) => end.is_some_and(|(_, _, reason)| reason == *r),
        Claim::Within(c, d) => end.is_some_and(|(at, e, _)| is(c, e) && at <= *d),
        Claim::After(c, d) => end.is_some_and(|(at, e, _)| is(c, e) && at >= *d),
        Claim::At(d, t) => end.is_some_and(|(at, _, _)| at.abs_diff(*d) <= *t),
        Claim::Pods(n) => outcome.trace.pods.iter().filter(|p| p.job == 0).count() == *n,
        Claim::CompletedIndexes(l) => outcome
            .trace
            .jobs
            .first()
            .is_some_and(|j| j.status.completed_indexes == *l),
        Claim::Jobs(n) => outcome.cron_jobs().count() == *n,
    }
}

/// The verdict on one claim line, as doc-test prints it.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    True(String),
    False(String),
    Error(String),
}

/// Checks every annotated Job or CronJob block of a page (`html`: the page
/// is HTML, else Markdown). Each verdict comes with the line it is about.
pub fn check_page(text: &str, html: bool) -> (usize, Vec<(usize, Verdict)>) {
    let blocks = if html {
        html_blocks(text)
    } else {
        markdown_blocks(text)
    };
    let jobs: Vec<&Block> = blocks.iter().filter(|b| is_job_yaml(&b.code)).collect();
    let mut out = Vec::new();
    for b in &jobs {
        let Some((line, text)) = &b.annotation else {
            continue;
        };
        let a = match annotation(text) {
            Ok(a) => a,
            Err(e) => {
                out.push((*line, Verdict::Error(e)));
                continue;
            }
        };
        let outcome = match crate::run::run_text(&scenario(&b.code, &a)) {
            Ok(o) => o,
            Err(e) => {
                out.push((
                    *line,
                    Verdict::Error(format!("the example does not run: {e}")),
                ));
                continue;
            }
        };
        let says = said(&outcome);
        for (text, c) in &a.claims {
            let v = if holds(c, &outcome) {
                Verdict::True(format!("{text}: {says}"))
            } else {
                Verdict::False(format!("the page says {text}; {says}"))
            };
            out.push((*line, v));
        }
    }
    (jobs.len(), out)
}
