//! The playground's limits. A share link runs in someone else's tab, so
//! every input is checked against cheap limits before any expensive work
//! (the text's size and nesting before parsing; the number of actions,
//! rules and containers before simulating), and the engine's own bounds
//! (pods, containers, Jobs, events, steps) cover the total work. Each has
//! an error that names it in the user's terms. README "Limits" lists them.

use crate::yaml::Value;

/// A scenario file, a manifest, an imported file, an inflated link.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The most errors of a manifest placed in its text (each placement walks
/// the text; the message still lists every error).
pub const MAX_MARKERS: usize = 100;
/// Nesting of YAML collections (a Job manifest needs about 12).
pub const MAX_NESTING: usize = 64;
/// Injected actions in one scenario.
pub const MAX_ACTIONS: usize = 1_000;
/// Per-pod behaviour rules in one scenario.
pub const MAX_RULES: usize = 10_000;
/// Containers and init containers in one pod template.
pub const MAX_CONTAINERS_PER_POD: usize = 100;
/// Pods in one run (upstream admits 100,000 completions; with retries).
pub const MAX_PODS: usize = 200_000;
/// Pods a Job runs at once (its parallelism, when completions allow).
pub const MAX_ACTIVE_PODS: usize = 20_000;
/// Containers of all pods in one run (pods × containers per pod).
pub const MAX_CONTAINERS: usize = 1_000_000;
/// Jobs one CronJob creates in a run.
pub const MAX_JOBS: usize = 5_000;
/// Jobs of one CronJob in the API at once (running, or kept by its
/// history limits): each CronJob sync looks at all of them.
pub const MAX_LIVE_JOBS: usize = 1_000;
/// Kubernetes events in one run.
pub const MAX_EVENTS: usize = 1_000_000;
/// Engine steps (wake-ups) in one run.
pub const MAX_STEPS: u64 = 20_000_000;

/// At most this much of an over-long value is quoted in an error.
pub const MAX_QUOTED: usize = 1_000;

/// `text` cut to [`MAX_QUOTED`] characters for an error message.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}... ({} bytes)", &text[..cut], text.len()),
        None => text.to_string(),
    }
}

/// "1.5 MB" for a size in bytes.
pub fn size_text(bytes: usize) -> String {
    if bytes < 1 << 20 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    }
}

/// Checked before parsing: the size, and the nesting by a linear scan
/// (a YAML parser can take quadratic time on deep nesting before its own
/// recursion limit applies). The error, and its 1-based line.
pub fn check_text(text: &str) -> Result<(), (String, Option<usize>)> {
    if text.len() > MAX_TEXT_BYTES {
        return Err((
            format!(
                "the text is {}, more than the playground reads ({})",
                size_text(text.len()),
                size_text(MAX_TEXT_BYTES)
            ),
            None,
        ));
    }
    match too_deep(text, MAX_NESTING) {
        Some(line) => Err((
            format!("the YAML nests deeper than {MAX_NESTING} levels, the playground's limit"),
            Some(line),
        )),
        None => Ok(()),
    }
}

/// The first line at which the text nests deeper than `max`, counting
/// block indentation levels, `- ` sequence entries and flow brackets
/// (outside quotes, comments and block scalars). It may count a little
/// more than a parser would, never less than a level per `[`, `{` or
/// deeper indentation, so a document it passes is shallow for the parser.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // The indentation of the line that opened a block scalar (`|`, `>`).
    let mut scalar_from: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let Some(base) = scalar_from {
            if content.is_empty() || indent > base {
                continue;
            }
            scalar_from = None;
        }
        if quote.is_none() && (content.is_empty() || content.starts_with('#')) {
            continue;
        }
        let mut rest = content;
        let mut depth = indents.len();
        if flow == 0 && quote.is_none() {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            depth = indents.len();
            while rest == "-" || rest.starts_with("- ") {
                depth += 1;
                rest = rest[1..].trim_start_matches(' ');
            }
        }
        let mut deepest = depth + flow;
        let mut prev = ' ';
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' if matches!(prev, ' ' | '[' | '{' | ',') => quote = Some(c),
                    '#' if prev == ' ' => break,
                    '[' | '{' if flow > 0 || matches!(prev, ' ' | '[' | '{' | ',') => {
                        flow += 1;
                        deepest = deepest.max(depth + flow);
                    }
                    ']' | '}' if flow > 0 => flow -= 1,
                    _ => {}
                },
            }
            prev = c;
        }
        if deepest > max {
            return Some(n + 1);
        }
        let tail = rest.trim_end();
        if flow == 0
            && quote.is_none()
            && (tail.ends_with('|')
                || tail.ends_with('>')
                || tail.contains(": |")
                || tail.contains(": >"))
        {
            scalar_from = Some(indent);
        }
    }
    None
}

/// The containers (and init containers) of the pod template of a Job or
/// a CronJob manifest: checked before the engine makes pods of it.
pub fn check_manifest(manifest: &Value) -> Result<(), String> {
    let spec = |v: &Value| v.get("spec").cloned().unwrap_or(Value::Null);
    let job = match manifest.get("kind").and_then(Value::as_str) {
        Some("CronJob") => spec(
            &spec(manifest)
                .get("jobTemplate")
                .cloned()
                .unwrap_or(Value::Null),
        ),
        _ => spec(manifest),
    };
    let pod = job
        .get("template")
        .and_then(|t| t.get("spec"))
        .cloned()
        .unwrap_or(Value::Null);
    let count = |key: &str| {
        pod.get(key)
            .and_then(Value::as_sequence)
            .map_or(0, Vec::len)
    };
    let containers = count("containers") + count("initContainers");
    if containers > MAX_CONTAINERS_PER_POD {
        return Err(format!(
            "the pod template has {containers} containers, more than the playground's limit of {MAX_CONTAINERS_PER_POD} per pod"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_found_before_parsing() {
        let flow = format!("a: {}", "[".repeat(100_000));
        assert_eq!(too_deep(&flow, 64), Some(1));
        let block: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(too_deep(&block, 64), Some(65));
        let dashes = format!("{}x\n", "- ".repeat(70));
        assert_eq!(too_deep(&dashes, 64), Some(1));
    }

    #[test]
    fn ordinary_yaml_is_shallow() {
        for file in std::fs::read_dir("www/scenarios").unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            assert_eq!(too_deep(&text, 16), None, "{text}");
        }
        // Brackets in quotes, comments, plain scalars and block scalars.
        let text =
            "a: \"[[[[\"\nb: '{{{{'  # [[[[\nc: x[1]\nd: |\n  [[[[[[\n  {{{{\ne: [1, [2, [3]]]\n";
        assert_eq!(too_deep(text, 4), None);
        assert_eq!(too_deep(text, 3), Some(7));
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let name = "x".repeat(5 << 20);
        let q = quoted(&name);
        assert!(q.len() < 1_100 && q.ends_with("... (5242880 bytes)"), "{q}");
        assert_eq!(quoted("pi"), "pi");
        assert_eq!(size_text(1 << 20), "1.0 MB");
        assert_eq!(size_text(390 * 1024), "390.0 KB");
    }
}
