//! Completion-index sets (`orderedIntervals` in indexed_job_utils.go): the
//! format of status.completedIndexes and status.failedIndexes.

use std::fmt;

/// A set of completion indexes kept as sorted, disjoint, non-adjacent
/// inclusive intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexSet(Vec<(u32, u32)>);

impl IndexSet {
    /// `parseIndexesFromString`: comma-separated `a` or `a-b` entries;
    /// entries that do not parse, or reach `completions`, are skipped as
    /// upstream skips them.
    pub fn parse(text: &str, completions: u32) -> IndexSet {
        let mut set = IndexSet::default();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let (first, last) = match part.split_once('-') {
                Some((a, b)) => (a.parse::<u32>(), b.parse::<u32>()),
                None => (part.parse::<u32>(), part.parse::<u32>()),
            };
            if let (Ok(first), Ok(last)) = (first, last)
                && first <= last
                && first < completions
            {
                set.insert_range(first, last.min(completions - 1));
            }
        }
        set
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|(a, b)| u64::from(b - a) + 1).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, x: u32) -> bool {
        match self.0.binary_search_by(|&(a, _)| a.cmp(&x)) {
            Ok(_) => true,
            Err(0) => false,
            Err(i) => self.0[i - 1].1 >= x,
        }
    }

    pub fn insert(&mut self, x: u32) {
        self.insert_range(x, x);
    }

    fn insert_range(&mut self, first: u32, last: u32) {
        // Find the intervals that overlap or touch [first, last] and merge.
        let start = self
            .0
            .partition_point(|&(_, b)| b.saturating_add(1) < first);
        let end = self
            .0
            .partition_point(|&(a, _)| a <= last.saturating_add(1));
        if start == end {
            self.0.insert(start, (first, last));
            return;
        }
        let merged = (first.min(self.0[start].0), last.max(self.0[end - 1].1));
        self.0.splice(start..end, [merged]);
    }

    /// The intervals, for walking the gaps.
    pub fn intervals(&self) -> &[(u32, u32)] {
        &self.0
    }
}

impl fmt::Display for IndexSet {
    /// `1,3-5,7`; a run of two is written `a,b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(a, b)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match b - a {
                0 => write!(f, "{a}")?,
                1 => write!(f, "{a},{b}")?,
                _ => write!(f, "{a}-{b}")?,
            }
        }
        Ok(())
    }
}

impl FromIterator<u32> for IndexSet {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        let mut set = IndexSet::default();
        for x in iter {
            set.insert(x);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_ordered_intervals() {
        // indexed_job_utils_test.go: "1,3-5,7" and runs of two as "a,b".
        let set: IndexSet = [1, 3, 4, 5, 7].into_iter().collect();
        assert_eq!(set.to_string(), "1,3-5,7");
        let two: IndexSet = [0, 1].into_iter().collect();
        assert_eq!(two.to_string(), "0,1");
        assert_eq!(IndexSet::default().to_string(), "");
        let three: IndexSet = [2, 0, 1].into_iter().collect();
        assert_eq!(three.to_string(), "0-2");
    }

    #[test]
    fn merges_and_counts() {
        let mut set = IndexSet::parse("0-2,5,7-9", 100);
        assert_eq!(set.total(), 7);
        set.insert(3);
        set.insert(4);
        set.insert(6);
        assert_eq!(set.to_string(), "0-9");
        assert!(set.contains(0) && set.contains(9) && !set.contains(10));
    }

    #[test]
    fn parse_skips_what_upstream_skips() {
        assert_eq!(IndexSet::parse("1,x,3-2,4-20", 10).to_string(), "1,4-9");
        assert_eq!(IndexSet::parse("", 10).total(), 0);
    }
}
