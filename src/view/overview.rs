//! The timeline's overview: the whole run at a glance, however many pods,
//! as counts of pods per state over time (a stacked area of pending,
//! running, succeeded and failed), in a fixed number of columns, so that
//! drawing it costs the same for 50 pods as for 50,000.

use super::timeline::{SegmentKind, Timeline};
use crate::time::Ms;

/// The states the overview stacks, bottom to top.
pub const STATES: [SegmentKind; 4] = [
    SegmentKind::Failed,
    SegmentKind::Succeeded,
    SegmentKind::Running,
    SegmentKind::Pending,
];

/// Pods per state in each column: `counts[c][s]` for the column `c`
/// (the instant `c * end / columns`) and the state `STATES[s]`. Running
/// includes terminating; a pod counts as succeeded or failed from when it
/// finished to the end of the run (like the Job's counters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    pub end: Ms,
    pub counts: Vec<[u32; 4]>,
    /// The largest column total (the height of the drawing).
    pub peak: u32,
}

impl Overview {
    /// Linear in pods plus columns: each state interval adds +1 where it
    /// starts and −1 where it ends, then one running sum per state.
    pub fn build(tl: &Timeline, columns: usize) -> Overview {
        let end = tl.end.max(1);
        let column =
            |t: Ms| ((t as u128 * columns as u128).div_ceil(end as u128) as usize).min(columns);
        let mut deltas = vec![[0i64; 4]; columns + 1];
        let mut add = |state: usize, from: Ms, to: Ms| {
            let (a, b) = (column(from), column(to));
            if a < b {
                deltas[a][state] += 1;
                deltas[b][state] -= 1;
            }
        };
        for bar in &tl.bars {
            for s in &bar.segments {
                let state = match s.kind {
                    SegmentKind::Pending => 3,
                    SegmentKind::Running | SegmentKind::Terminating => 2,
                    SegmentKind::Succeeded => 1,
                    SegmentKind::Failed => 0,
                };
                add(state, s.from, s.to);
            }
            match bar.outcome {
                Some(SegmentKind::Succeeded) => add(1, bar.to, end + 1),
                Some(SegmentKind::Failed) => add(0, bar.to, end + 1),
                _ => {}
            }
        }
        let mut running = [0i64; 4];
        let counts: Vec<[u32; 4]> = deltas[..columns]
            .iter()
            .map(|d| {
                for s in 0..4 {
                    running[s] += d[s];
                }
                running.map(|n| n.max(0) as u32)
            })
            .collect();
        let peak = counts
            .iter()
            .map(|c| c.iter().sum::<u32>())
            .max()
            .unwrap_or(0);
        Overview { end, counts, peak }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::timeline::{Bar, Segment};

    fn bar(segments: &[(Ms, Ms, SegmentKind)], outcome: Option<SegmentKind>) -> Bar {
        Bar {
            pod: 0,
            lane: 0,
            index: None,
            from: segments[0].0,
            to: segments.last().unwrap().1,
            segments: segments
                .iter()
                .map(|&(from, to, kind)| Segment { from, to, kind })
                .collect(),
            outcome,
            restarts: Vec::new(),
        }
    }

    #[test]
    fn columns_count_each_state_at_their_instant() {
        use SegmentKind::*;
        let tl = Timeline {
            end: 10_000,
            bars: vec![
                bar(
                    &[(0, 1_000, Pending), (1_000, 6_000, Running)],
                    Some(Succeeded),
                ),
                bar(
                    &[(0, 1_000, Pending), (1_000, 3_000, Running)],
                    Some(Failed),
                ),
                bar(&[(4_000, 5_000, Pending), (5_000, 10_000, Running)], None),
            ],
            ..Timeline::default()
        };
        let o = Overview::build(&tl, 10);
        // Column c is the instant c s: [failed, succeeded, running, pending].
        assert_eq!(o.counts[0], [0, 0, 0, 2]);
        assert_eq!(o.counts[2], [0, 0, 2, 0]);
        assert_eq!(o.counts[3], [1, 0, 1, 0]);
        assert_eq!(o.counts[4], [1, 0, 1, 1]);
        assert_eq!(o.counts[6], [1, 1, 1, 0]);
        assert_eq!(o.counts[9], [1, 1, 1, 0]);
        assert_eq!(o.peak, 3);
    }
}
