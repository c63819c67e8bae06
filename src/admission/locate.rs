//! Where a field path (`spec.template.spec.containers[0].image`) is in the
//! YAML text a user wrote, so that an error can point at its line. Block
//! style is followed key by key; inside a flow collection (`{...}`,
//! `[...]`) the line of the collection is the answer.

/// The 1-based line and column of `path` in `text`: the field itself when
/// it is there, else the deepest enclosing field that is (a missing field's
/// parent). None when not even the first key is found.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let target = segments(path);
    let mut outline = Outline::default();
    let mut best: Option<(usize, (usize, usize))> = None;
    for (i, raw) in text.lines().enumerate() {
        outline.line(raw, |frames, col| {
            consider(frames, &target, i + 1, col, &mut best)
        });
    }
    best.map(|(_, at)| at)
}

/// One step of the path to a line: a key, or an item of a sequence (`[i]`).
pub struct Frame {
    /// The column where the key or the item's `-` is.
    pub indent: usize,
    /// The key, or `[i]`.
    pub segment: String,
    pub item: bool,
    items: usize,
}

/// Block-style YAML read line by line, keeping the keys and items that
/// enclose the current line (what `locate` follows, and what the editor's
/// completion and hover docs look up).
#[derive(Default)]
pub struct Outline {
    pub frames: Vec<Frame>,
}

impl Outline {
    /// Reads one line (or the start of one, up to the cursor); calls `at`
    /// with the frames and the column after each item or key it opens.
    /// Returns the column where the line's content (after any `- `) starts
    /// and that content.
    pub fn line<'a>(
        &mut self,
        raw: &'a str,
        mut at: impl FnMut(&[Frame], usize),
    ) -> (usize, &'a str) {
        let content = raw.trim_start_matches(' ');
        let mut col = raw.len() - content.len();
        if content.is_empty() || content.starts_with('#') || content.starts_with("---") {
            return (col, content);
        }
        let mut rest = content;
        // Sequence items: "- " (possibly nested: "- - x").
        while let Some(after) = rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            let frames = &mut self.frames;
            frames.retain(|f| f.indent < col || (f.indent == col && !f.item));
            let parent = frames.iter_mut().rev().find(|f| !f.item || f.indent < col);
            let index = match parent {
                Some(p) => {
                    p.items += 1;
                    p.items - 1
                }
                None => 0,
            };
            frames.push(Frame {
                indent: col,
                segment: format!("[{index}]"),
                item: true,
                items: 0,
            });
            at(frames, col);
            let spaces = after.len() - after.trim_start_matches(' ').len();
            col += 2 + spaces;
            rest = after.trim_start_matches(' ');
        }
        let Some(key) = key_of(rest) else {
            return (col, rest);
        };
        self.enter(col);
        self.frames.push(Frame {
            indent: col,
            segment: key,
            item: false,
            items: 0,
        });
        at(&self.frames, col);
        (col, rest)
    }

    /// Leaves the keys a line's content at `col` is not inside of.
    pub fn enter(&mut self, col: usize) {
        self.frames.retain(|f| f.indent < col);
    }
}

/// Remembers the position when the frames' path is a prefix of the target
/// (the longer, the better).
fn consider(
    frames: &[Frame],
    target: &[String],
    line: usize,
    col: usize,
    best: &mut Option<(usize, (usize, usize))>,
) {
    if frames.len() > target.len() || frames.iter().zip(target).any(|(f, t)| f.segment != *t) {
        return;
    }
    if best.as_ref().is_none_or(|(depth, _)| frames.len() > *depth) {
        *best = Some((frames.len(), (line, col + 1)));
    }
}

/// The key of a `key: value` or `key:` line (quotes removed).
pub fn key_of(content: &str) -> Option<String> {
    let (key, _) = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find('"')?;
        return quoted[end + 1..]
            .trim_start()
            .starts_with(':')
            .then(|| quoted[..end].to_string());
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        return quoted[end + 1..]
            .trim_start()
            .starts_with(':')
            .then(|| quoted[..end].to_string());
    } else {
        content.split_once(':')?
    };
    let after = &content[key.len() + 1..];
    if !(after.is_empty() || after.starts_with(' ')) || key.starts_with(['{', '[']) {
        return None;
    }
    Some(key.trim_end().to_string())
}

/// `a.b[0].c` → ["a", "b", "[0]", "c"].
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut part = part;
        while let Some(open) = part.find('[') {
            if open > 0 {
                out.push(part[..open].to_string());
            }
            let close = part[open..].find(']').map_or(part.len(), |c| open + c + 1);
            out.push(part[open..close].to_string());
            part = &part[close..];
        }
        if !part.is_empty() {
            out.push(part.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PI: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\"]
      - name: sidecar
        # a comment
        imagePullPolicy: Always
      restartPolicy: Never
  backoffLimit: 4
";

    #[test]
    fn finds_nested_fields_and_list_items() {
        assert_eq!(locate(PI, "metadata.name"), Some((4, 3)));
        assert_eq!(locate(PI, "spec.backoffLimit"), Some((16, 3)));
        assert_eq!(
            locate(PI, "spec.template.spec.containers[0].image"),
            Some((10, 9))
        );
        assert_eq!(
            locate(PI, "spec.template.spec.containers[1].imagePullPolicy"),
            Some((14, 9))
        );
        assert_eq!(
            locate(PI, "spec.template.spec.restartPolicy"),
            Some((15, 7))
        );
    }

    #[test]
    fn a_missing_field_points_at_its_parent() {
        assert_eq!(
            locate(PI, "spec.template.spec.containers[1].image"),
            Some((12, 7))
        );
        assert_eq!(locate(PI, "spec.parallelism"), Some((5, 1)));
        assert_eq!(locate(PI, "status"), None);
    }

    #[test]
    fn flow_style_points_at_the_collection_and_quotes_are_keys() {
        let text = "metadata: {name: pi}\nspec:\n  \"completions\": 3\n  template: {spec: {containers: []}}\n";
        assert_eq!(locate(text, "metadata.name"), Some((1, 1)));
        assert_eq!(locate(text, "spec.completions"), Some((3, 3)));
        assert_eq!(locate(text, "spec.template.spec.containers"), Some((4, 3)));
    }

    #[test]
    fn indented_sequences_and_nested_items() {
        let text = "spec:\n  rules:\n    - action: FailJob\n      onExitCodes:\n        values:\n        - 1\n        - 0\n    - action: Ignore\n";
        assert_eq!(locate(text, "spec.rules[1].action"), Some((8, 7)));
        assert_eq!(
            locate(text, "spec.rules[0].onExitCodes.values[1]"),
            Some((7, 9))
        );
    }

    #[test]
    fn paths_split_into_segments() {
        assert_eq!(segments("a.b[0].c"), ["a", "b", "[0]", "c"]);
        assert_eq!(segments("x[1][2]"), ["x", "[1]", "[2]"]);
    }
}
