//! The stretch of a run the timeline shows, and how zooming and panning
//! move it (as Perfetto and Jaeger do: zoom about a point, pan by a
//! distance, follow the playhead), with the axis ticks for it.

use crate::time::Ms;

/// The shortest stretch the timeline zooms to.
pub const MIN_SPAN: Ms = 100;

/// A stretch of virtual time, `from` < `to`, inside the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Ms,
    pub to: Ms,
}

impl Window {
    /// The whole run.
    pub fn whole(end: Ms) -> Window {
        Window {
            from: 0,
            to: end.max(1),
        }
    }

    pub fn span(self) -> Ms {
        self.to - self.from
    }

    /// `from`..`to` moved and cut to fit a run that ends at `end`, at
    /// least `MIN_SPAN` long (or the whole run when it is shorter).
    pub fn fitted(from: i64, to: i64, end: Ms) -> Window {
        let end = end.max(1) as i64;
        let span = (to - from).clamp((MIN_SPAN as i64).min(end), end);
        let from = from.clamp(0, end - span);
        Window {
            from: from as Ms,
            to: (from + span) as Ms,
        }
    }

    /// Zoomed by `factor` (below 1: in) about `at`, which stays where it
    /// is on screen.
    pub fn zoom(self, factor: f64, at: Ms, end: Ms) -> Window {
        let at = at.clamp(self.from, self.to) as f64;
        let from = at - (at - self.from as f64) * factor;
        let to = at + (self.to as f64 - at) * factor;
        Window::fitted(from.round() as i64, to.round() as i64, end)
    }

    /// Moved by `by` ms (negative: earlier), the span kept.
    pub fn pan(self, by: i64, end: Ms) -> Window {
        Window::fitted(self.from as i64 + by, self.to as i64 + by, end)
    }

    /// Keeps `t` in view: when it has left, the window pages so that `t`
    /// is a tenth of the span from the left edge (playback follows the
    /// playhead).
    pub fn follow(self, t: Ms, end: Ms) -> Window {
        if (self.from..=self.to).contains(&t) {
            return self;
        }
        let from = t as i64 - (self.span() / 10) as i64;
        Window::fitted(from, from + self.span() as i64, end)
    }

    /// Where `t` is, in percent of the width (outside 0..100 when out of
    /// view).
    pub fn pct(self, t: Ms) -> f64 {
        (t as f64 - self.from as f64) * 100.0 / self.span().max(1) as f64
    }

    /// The time at a fraction (0..1) of the width.
    pub fn at(self, fraction: f64) -> Ms {
        (self.from as f64 + fraction.clamp(0.0, 1.0) * self.span() as f64).round() as Ms
    }

    /// Whether `from..to` shows anything of this window.
    pub fn overlaps(self, from: Ms, to: Ms) -> bool {
        from <= self.to && to >= self.from
    }

    /// The axis: round times (1-2-5 steps from 1 ms to hours), at most
    /// eight in the window.
    pub fn ticks(self) -> Vec<Ms> {
        self.ticks_at_most(8)
    }

    /// Round times, at most `n` (at least one step) in the window.
    fn ticks_at_most(self, n: Ms) -> Vec<Ms> {
        const STEPS: [Ms; 27] = [
            1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
            60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
            14_400_000, 28_800_000, 43_200_000, 86_400_000,
        ];
        let step = STEPS
            .iter()
            .copied()
            .find(|s| self.span() / s <= n.max(1))
            .unwrap_or(86_400_000);
        let first = self.from.div_ceil(step) * step;
        (0..)
            .map(|i| first + i * step)
            .take_while(|&t| t <= self.to)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Ms = 3_600_000;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_stays_in_the_run() {
        let w = Window::whole(HOUR);
        // Zoom in ×4 about 15 min (a quarter of the way): it stays a quarter in.
        let z = w.zoom(0.25, 900_000, HOUR);
        assert_eq!(
            z,
            Window {
                from: 675_000,
                to: 1_575_000
            }
        );
        assert!((z.pct(900_000) - 25.0).abs() < 1e-9);
        // Out again: back to the whole run, never past it.
        assert_eq!(z.zoom(4.0, 900_000, HOUR), w);
        assert_eq!(z.zoom(100.0, 0, HOUR), w);
        // Never below the shortest span.
        assert_eq!(w.zoom(1e-9, 1_000, HOUR).span(), MIN_SPAN);
        // A run shorter than that shows whole.
        assert_eq!(
            Window::whole(50).zoom(0.1, 10, 50),
            Window { from: 0, to: 50 }
        );
    }

    #[test]
    fn panning_and_following_keep_the_span_inside_the_run() {
        let w = Window {
            from: 0,
            to: 60_000,
        };
        assert_eq!(
            w.pan(30_000, HOUR),
            Window {
                from: 30_000,
                to: 90_000
            }
        );
        assert_eq!(w.pan(-5_000, HOUR), w, "not before 0");
        assert_eq!(
            w.pan(10 * HOUR as i64, HOUR),
            Window {
                from: HOUR - 60_000,
                to: HOUR
            }
        );
        assert_eq!(w.follow(30_000, HOUR), w, "in view: unchanged");
        assert_eq!(
            w.follow(61_000, HOUR),
            Window {
                from: 55_000,
                to: 115_000
            }
        );
    }

    #[test]
    fn the_axis_relabels_from_milliseconds_to_hours() {
        let ms = |w: Window| w.ticks();
        assert_eq!(
            ms(Window {
                from: 1_003,
                to: 1_010
            }),
            (1_003..=1_010).collect::<Vec<_>>()
        );
        assert_eq!(
            ms(Window {
                from: 0,
                to: 12_000
            }),
            [0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000]
        );
        assert_eq!(
            ms(Window::whole(HOUR)),
            (0..=6).map(|i| i * 600_000).collect::<Vec<_>>()
        );
        assert_eq!(
            ms(Window {
                from: 250,
                to: 1_150
            }),
            [400, 600, 800, 1_000]
        );
    }
}

/// The width of a collapsed stretch on the axis, in percent.
pub const BREAK_PCT: f64 = 3.0;

/// The timeline's axis: a window, with the quiet stretches inside it
/// (nothing visible changes) collapsed into narrow breaks, as Jaeger
/// collapses a trace's gaps. Without breaks it is the window, linear.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub window: Window,
    /// Collapsed stretches, in order, disjoint, inside the window.
    pub breaks: Vec<(Ms, Ms)>,
}

impl Axis {
    pub fn linear(window: Window) -> Axis {
        Axis {
            window,
            breaks: Vec::new(),
        }
    }

    /// The window with its quiet stretches collapsed: where no pod exists
    /// (`busy`: each pod's life, in order of start) for longer than a
    /// fifth of the window, less a two-hundredth of the window kept on each
    /// side (a backoff wait, a suspension); except the breaks starting at
    /// `expanded` (opened by the user).
    pub fn collapsed(
        window: Window,
        busy: impl Iterator<Item = (Ms, Ms)>,
        expanded: &[Ms],
    ) -> Axis {
        let pad = window.span() / 200;
        let mut breaks = Vec::new();
        let mut quiet_from = window.from;
        let mut quiet = |from: Ms, to: Ms| {
            let (from, to) = (from.max(window.from), to.min(window.to));
            if to > from && to - from > window.span() / 5 && !expanded.contains(&(from + pad)) {
                breaks.push((from + pad, to - pad));
            }
        };
        for (from, to) in busy {
            quiet(quiet_from, from);
            quiet_from = quiet_from.max(to);
        }
        quiet(quiet_from, window.to);
        Axis { window, breaks }
    }

    /// The percent of the width for each visible millisecond.
    fn rate(&self) -> f64 {
        let hidden: Ms = self.breaks.iter().map(|(a, b)| b - a).sum();
        let shown = (self.window.span() - hidden).max(1) as f64;
        (100.0 - BREAK_PCT * self.breaks.len() as f64) / shown
    }

    /// Where `t` is, in percent of the width (outside 0..100 when out of
    /// the window); inside a break, proportionally across it.
    pub fn pct(&self, t: Ms) -> f64 {
        let rate = self.rate();
        let (mut x, mut from) = (0.0, self.window.from);
        for &(a, b) in &self.breaks {
            if t <= a {
                break;
            }
            x += (a - from) as f64 * rate;
            if t < b {
                return x + BREAK_PCT * (t - a) as f64 / (b - a) as f64;
            }
            x += BREAK_PCT;
            from = b;
        }
        x + (t as f64 - from as f64) * rate
    }

    /// The time at a fraction (0..1) of the width.
    pub fn at(&self, fraction: f64) -> Ms {
        let target = fraction.clamp(0.0, 1.0) * 100.0;
        let rate = self.rate();
        let (mut x, mut from) = (0.0, self.window.from);
        for &(a, b) in &self.breaks {
            let before = x + (a - from) as f64 * rate;
            if target <= before {
                break;
            }
            if target < before + BREAK_PCT {
                return a + ((target - before) / BREAK_PCT * (b - a) as f64) as Ms;
            }
            x = before + BREAK_PCT;
            from = b;
        }
        (from as f64 + (target - x) / rate).round() as Ms
    }

    /// Round times in each stretch between breaks, as many as its share
    /// of the width allows (eight across the whole width).
    pub fn ticks(&self) -> Vec<Ms> {
        let mut edges = vec![self.window.from];
        for &(a, b) in &self.breaks {
            edges.extend([a, b]);
        }
        edges.push(self.window.to);
        edges
            .chunks(2)
            .flat_map(|s| {
                let share = self.pct(s[1]) - self.pct(s[0]);
                Window {
                    from: s[0],
                    to: s[1],
                }
                .ticks_at_most((share * 8.0 / 100.0) as Ms)
            })
            .collect()
    }
}

#[cfg(test)]
mod axis_tests {
    use super::*;

    #[test]
    fn a_long_quiet_stretch_collapses_into_a_break_that_can_be_opened() {
        // A pod exists 0–11 s, then none until the hour ends.
        let w = Window::whole(3_600_000);
        let pod = || [(0, 11_000)].into_iter();
        let axis = Axis::collapsed(w, pod(), &[]);
        assert_eq!(axis.breaks, [(11_000 + 18_000, 3_600_000 - 18_000)]);
        // The 11 s and the kept margins share 97 % of the width.
        let shown = (11_000 + 2 * 18_000) as f64;
        assert!((axis.pct(11_000) - 11_000.0 * 97.0 / shown).abs() < 1e-9);
        assert!((axis.pct(3_600_000) - 100.0).abs() < 1e-9);
        // Inside the break, across its 3 %.
        let (a, b) = axis.breaks[0];
        assert!((axis.pct((a + b) / 2) - (axis.pct(a) + BREAK_PCT / 2.0)).abs() < 1e-6);
        // at() inverts pct() outside the breaks.
        for t in [0, 5_000, 11_000, 3_590_000] {
            assert!(axis.at(axis.pct(t) / 100.0).abs_diff(t) <= 1, "{t}");
        }
        let ticks = axis.ticks();
        assert!(ticks.iter().all(|&t| t < a || t > b));
        assert!(
            ticks.len() >= 4,
            "the visible stretches keep their ticks: {ticks:?}"
        );
        // Opened by the user: linear again.
        assert_eq!(Axis::collapsed(w, pod(), &[a]), Axis::linear(w));
        // A running pod is not quiet, nor is a short wait.
        let busy = [(0, 5_000), (4_000, 11_000), (12_000, 20_000)];
        assert!(
            Axis::collapsed(Window::whole(20_000), busy.into_iter(), &[])
                .breaks
                .is_empty()
        );
    }
}
