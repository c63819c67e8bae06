//! Go's `text/tabwriter` as kubectl uses it (padding character ' ', no
//! flags): text whose cells end in `\t` is aligned in columns; a column's
//! width is its widest cell in a block of consecutive lines that all have
//! a cell in that column, plus the padding, and at least `min_width`. The
//! last cell of a line is not part of a column and is never padded.
//!
//! `kubectl get` writes through `NewWriter(out, 6, 4, 3, ' ', 0)`,
//! `kubectl describe` through `Init(buf, 0, 8, 2, ' ', 0)` (`tabbedString`).

/// `kubectl get`'s tables.
pub const GET: TabWriter = TabWriter {
    min_width: 6,
    padding: 3,
};

/// `kubectl describe`'s text.
pub const DESCRIBE: TabWriter = TabWriter {
    min_width: 0,
    padding: 2,
};

#[derive(Clone, Copy, Debug)]
pub struct TabWriter {
    min_width: usize,
    padding: usize,
}

impl TabWriter {
    /// The aligned text of `text` (cells end in `\t`, lines in `\n`).
    pub fn format(&self, text: &str) -> String {
        let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
        let mut out = String::with_capacity(text.len() * 2);
        let mut widths = Vec::new();
        self.block(&lines, &mut out, &mut widths, 0, lines.len());
        out
    }

    /// `Writer.format`: the lines `line0..line1`, whose columns left of
    /// `widths.len()` are already sized.
    fn block(
        &self,
        lines: &[Vec<&str>],
        out: &mut String,
        widths: &mut Vec<usize>,
        mut line0: usize,
        line1: usize,
    ) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            // A column block starts here: write what comes before it.
            write_lines(lines, out, widths, line0, this);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < lines[this].len() {
                width = width.max(lines[this][column].chars().count() + self.padding);
                this += 1;
            }
            widths.push(width);
            self.block(lines, out, widths, line0, this);
            widths.pop();
            line0 = this;
        }
        write_lines(lines, out, widths, line0, line1);
    }
}

fn write_lines(
    lines: &[Vec<&str>],
    out: &mut String,
    widths: &[usize],
    line0: usize,
    line1: usize,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                let pad = widths[j].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        // The last line has no newline of its own.
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_within_blocks_of_lines_that_share_them() {
        // Expected text worked out by hand from text/tabwriter's format():
        // the line without a tab ends the block.
        let text = "Name:\tpi\nNamespace:\tdefault\nPod Template:\n  Labels:\ta=b\n\tc=d\n";
        assert_eq!(
            DESCRIBE.format(text),
            "Name:       pi\nNamespace:  default\nPod Template:\n  Labels:  a=b\n           c=d\n"
        );
    }

    #[test]
    fn get_tables_have_a_minimum_width_and_an_unpadded_last_cell() {
        assert_eq!(GET.format("NAME\tAGE\nab\t5s\n"), "NAME   AGE\nab     5s\n");
    }

    #[test]
    fn nested_columns_are_sized_per_block() {
        // Column 1 exists only on the first two lines.
        let text = "a\tbb\tc\naaa\tb\tc\nx\ty\n";
        assert_eq!(DESCRIBE.format(text), "a    bb  c\naaa  b   c\nx    y\n");
    }
}
