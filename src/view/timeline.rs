//! The timeline of a run, ready to draw: one lane per completion index
//! (Indexed) or per pod slot, a bar per pod made of phase segments, the
//! backoff gaps before replacements, container restarts, and condition
//! markers on the time axis. Everything is in virtual milliseconds.

use crate::sim::world::ConditionType;
use crate::sim::world::{JobId, Phase, PodId};
use crate::time::Ms;
use crate::trace::Replacement;
use crate::trace::Trace;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    Pending,
    Running,
    Terminating,
    Succeeded,
    Failed,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Pending => "Pending",
            SegmentKind::Running => "Running",
            SegmentKind::Terminating => "Terminating",
            SegmentKind::Succeeded => "Succeeded",
            SegmentKind::Failed => "Failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub from: Ms,
    pub to: Ms,
    pub kind: SegmentKind,
}

/// One pod on its lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub pod: PodId,
    pub lane: usize,
    pub index: Option<u32>,
    pub from: Ms,
    /// When it reached Succeeded or Failed, else when it left the API, or
    /// the end of the run.
    pub to: Ms,
    pub segments: Vec<Segment>,
    /// Succeeded or Failed, drawn as a cap at the bar's end.
    pub outcome: Option<SegmentKind>,
    /// Container restarts (in place): when, and which container.
    pub restarts: Vec<(Ms, String)>,
}

/// The wait before a replacement: from the failure as the Job controller
/// counted it to the replacement's creation (or to the end of the run while
/// it was still awaited), explained by the controller's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    pub lane: usize,
    pub from: Ms,
    pub to: Ms,
    pub replacement: Replacement,
}

/// A Job condition becoming True (or Suspended changing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub at: Ms,
    pub type_: ConditionType,
    pub status: bool,
    pub reason: String,
}

impl Marker {
    /// What the marker says: the condition's type ("Resumed" for a
    /// Suspended condition turned False).
    pub fn label(&self) -> &'static str {
        if self.type_ == ConditionType::Suspended && !self.status {
            "Resumed"
        } else {
            self.type_.as_str()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    pub end: Ms,
    pub indexed: bool,
    pub lanes: usize,
    pub bars: Vec<Bar>,
    pub gaps: Vec<Gap>,
    pub markers: Vec<Marker>,
    /// Every instant at which something visible changes, sorted.
    pub moments: Vec<Ms>,
}

impl Timeline {
    pub fn build(trace: &Trace, job: JobId, end: Ms) -> Timeline {
        let j = &trace.jobs[job];
        let indexed = j.spec.is_indexed();
        let mut bars: Vec<Bar> = Vec::with_capacity(j.pods.len());
        let replacements: Vec<Replacement> = trace
            .log
            .replacements
            .done
            .iter()
            .filter(|r| r.job == job)
            .cloned()
            .chain(
                trace
                    .log
                    .replacements
                    .awaited(end, &trace.log.outages, |j| {
                        trace.jobs[j].gone_at.is_some() || trace.jobs[j].status.is_finished()
                    })
                    .into_iter()
                    .filter(|r| r.job == job && r.since < end),
            )
            .collect();
        // Slot lanes: a replacement takes the lane of the pod it replaces
        // when that is free; other pods the lowest lane whose last pod was
        // done (terminal, deleted or gone) when they were created. Pods
        // come in creation order, so lanes free up in time order.
        // `extend`, not `collect`: collecting a B-tree sorts with another
        // copy of the standard sort (see src/sort.rs).
        let mut replaced: BTreeMap<PodId, PodId> = BTreeMap::new();
        replaced.extend(replacements.iter().filter_map(|r| Some((r.pod?, r.failed))));
        let mut lane_of: BTreeMap<PodId, usize> = BTreeMap::new();
        let mut busy: BinaryHeap<Reverse<(Ms, usize)>> = BinaryHeap::new();
        let mut free: BTreeSet<usize> = BTreeSet::new();
        let mut slots = 0;
        for &p in &j.pods {
            let pod = &trace.pods[p];
            let terminal_at = pod
                .phase_history
                .iter()
                .find(|(_, ph)| ph.is_terminal())
                .map(|(t, _)| *t);
            let done_at = [terminal_at, pod.deletion_requested_at, pod.gone_at]
                .into_iter()
                .flatten()
                .min();
            let lane = match pod.index {
                Some(i) if indexed => i as usize,
                _ => {
                    while let Some(&Reverse((at, lane))) = busy.peek()
                        && at <= pod.created_at
                    {
                        busy.pop();
                        free.insert(lane);
                    }
                    let own = replaced
                        .get(&p)
                        .and_then(|failed| lane_of.get(failed).copied())
                        .filter(|lane| free.contains(lane));
                    let lane = match own.or_else(|| free.first().copied()) {
                        Some(lane) => {
                            free.remove(&lane);
                            lane
                        }
                        None => {
                            slots += 1;
                            slots - 1
                        }
                    };
                    busy.push(Reverse((done_at.unwrap_or(Ms::MAX), lane)));
                    lane_of.insert(p, lane);
                    lane
                }
            };
            let to = terminal_at
                .or(pod.gone_at)
                .unwrap_or(end)
                .min(end)
                .max(pod.created_at);
            let outcome = match pod.phase_history.iter().find(|(_, ph)| ph.is_terminal()) {
                Some((t, Phase::Succeeded)) if *t <= end => Some(SegmentKind::Succeeded),
                Some((t, Phase::Failed)) if *t <= end => Some(SegmentKind::Failed),
                _ => None,
            };
            bars.push(Bar {
                pod: p,
                lane,
                index: pod.index,
                from: pod.created_at,
                to,
                segments: segments(trace, p, to),
                outcome,
                // Every start after a container's first, init containers
                // included (restart rules, RestartAllContainers).
                restarts: pod
                    .containers
                    .iter()
                    .flat_map(|c| {
                        c.runs
                            .iter()
                            .skip(1)
                            .map(move |r| (r.started_at, c.name.to_string()))
                    })
                    .collect(),
            });
        }
        let lanes = bars.iter().map(|b| b.lane + 1).max().unwrap_or(0);
        let gaps = gaps(replacements, &bars, lanes);
        let markers = markers(trace, job);
        let mut moments: Vec<Ms> = Vec::new();
        for &p in &j.pods {
            moments.extend(super::pods::change_times(&trace.pods[p]));
        }
        moments.extend(trace.log.statuses[job].iter().map(|(t, _)| *t));
        moments.extend(trace.events.iter().map(|e| e.at));
        moments.push(0);
        moments.push(end);
        moments.retain(|&t| t <= end);
        crate::sort::sort_by_key(&mut moments, |t| *t);
        moments.dedup();
        Timeline {
            end,
            indexed,
            lanes,
            bars,
            gaps,
            markers,
            moments,
        }
    }

    /// The next instant after `t` at which something changes.
    pub fn next_moment(&self, t: Ms) -> Option<Ms> {
        let i = self.moments.partition_point(|&m| m <= t);
        self.moments.get(i).copied()
    }

    /// The last instant before `t` at which something changed.
    pub fn previous_moment(&self, t: Ms) -> Option<Ms> {
        let i = self.moments.partition_point(|&m| m < t);
        i.checked_sub(1).map(|i| self.moments[i])
    }
}

/// A pod's phases over time, as drawn: Pending until its first container
/// starts, Running, Terminating from its deletion, then its terminal phase.
fn segments(trace: &Trace, pod: PodId, to: Ms) -> Vec<Segment> {
    let p = &trace.pods[pod];
    let mut cuts: Vec<(Ms, SegmentKind)> = Vec::new();
    for &(t, phase) in &p.phase_history {
        let kind = match phase {
            Phase::Pending => SegmentKind::Pending,
            Phase::Running => SegmentKind::Running,
            Phase::Succeeded => SegmentKind::Succeeded,
            Phase::Failed => SegmentKind::Failed,
        };
        cuts.push((t, kind));
    }
    if let Some(d) = p.deletion_requested_at {
        let terminal = p
            .phase_history
            .iter()
            .find(|(_, ph)| ph.is_terminal())
            .map(|(t, _)| *t);
        if terminal.is_none_or(|t| t > d) {
            cuts.push((d, SegmentKind::Terminating));
            crate::sort::sort_by_key(&mut cuts, |(t, k)| (*t, *k == SegmentKind::Terminating));
            // Phases reported while terminating (Running -> Running) keep the
            // Terminating look until the pod is terminal.
            let mut terminating = false;
            for cut in &mut cuts {
                if cut.1 == SegmentKind::Terminating {
                    terminating = true;
                } else if terminating
                    && !matches!(cut.1, SegmentKind::Succeeded | SegmentKind::Failed)
                {
                    cut.1 = SegmentKind::Terminating;
                }
            }
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    for (i, &(from, kind)) in cuts.iter().enumerate() {
        let until = cuts.get(i + 1).map_or(to, |c| c.0).min(to);
        if from > to {
            break;
        }
        match out.last_mut() {
            Some(last) if last.kind == kind => last.to = until,
            _ => out.push(Segment {
                from,
                to: until,
                kind,
            }),
        }
    }
    out.retain(|s| {
        s.to > s.from && !matches!(s.kind, SegmentKind::Succeeded | SegmentKind::Failed)
    });
    out
}

/// Every replacement's wait, on the lane of its replacement (or of the
/// failed pod, while awaited), from the failure (or from the end of another
/// pod that used the lane meanwhile) to the creation.
fn gaps(replacements: Vec<Replacement>, bars: &[Bar], lanes: usize) -> Vec<Gap> {
    // Bars are in creation order, which is pod order.
    let lane_of = |pod: PodId| {
        let i = bars.binary_search_by_key(&pod, |b| b.pod).ok()?;
        Some(bars[i].lane)
    };
    let mut by_lane: Vec<Vec<&Bar>> = vec![Vec::new(); lanes];
    for b in bars {
        by_lane[b.lane].push(b);
    }
    replacements
        .into_iter()
        .filter_map(|r| {
            let lane = r.pod.map_or_else(|| lane_of(r.failed), lane_of)?;
            let from = by_lane[lane]
                .iter()
                .filter(|b| b.pod != r.failed && Some(b.pod) != r.pod)
                .filter(|b| b.from < r.created && b.to <= r.created)
                .map(|b| b.to)
                .fold(r.since, Ms::max);
            Some(Gap {
                lane,
                from,
                to: r.created,
                replacement: r,
            })
        })
        .collect()
}

fn markers(trace: &Trace, job: JobId) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    let mut seen: Vec<(ConditionType, bool)> = Vec::new();
    for (_, status) in &trace.log.statuses[job] {
        for c in &status.conditions {
            let key = (c.type_, c.status);
            let last = seen.iter().rev().find(|(t, _)| *t == c.type_).map(|k| k.1);
            if last != Some(c.status) && (c.status || c.type_ == ConditionType::Suspended) {
                out.push(Marker {
                    at: c.last_transition_time,
                    type_: c.type_,
                    status: c.status,
                    reason: c.reason.clone(),
                });
            }
            if last != Some(c.status) {
                seen.push(key);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::run_text;

    fn scenario(spec: &str, rest: &str) -> String {
        format!(
            "scenario: v1\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: t}}\n  spec:\n{spec}\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{{name: main, image: busybox}}]\n{rest}\n"
        )
    }

    #[test]
    fn a_failed_pod_and_its_replacement_share_a_lane_with_a_labelled_gap() {
        let o = run_text(&scenario(
            "    backoffLimit: 3",
            "behavior:\n  pods:\n  - match: {ordinal: 0}\n    runFor: 1s\n    exitCode: 1",
        ))
        .unwrap();
        let t = Timeline::build(&o.trace, 0, o.ended_at);
        assert_eq!(t.lanes, 1);
        assert_eq!(t.bars.len(), 2);
        let kinds: Vec<(SegmentKind, Ms, Ms)> = t.bars[0]
            .segments
            .iter()
            .map(|s| (s.kind, s.from, s.to))
            .collect();
        assert_eq!(
            kinds,
            [
                (SegmentKind::Pending, 0, 1_000),
                (SegmentKind::Running, 1_000, 2_000)
            ]
        );
        assert_eq!(
            (t.bars[0].to, t.bars[0].outcome),
            (2_000, Some(SegmentKind::Failed))
        );
        assert_eq!(t.bars[1].outcome, Some(SegmentKind::Succeeded));
        assert_eq!(t.gaps.len(), 1);
        let g = &t.gaps[0];
        let backoff = g.replacement.backoff.unwrap();
        assert_eq!(
            (g.lane, g.from, g.to, backoff.delay, backoff.failures),
            (0, 2_000, 12_000, 10_000, 1)
        );
        assert_eq!(g.replacement.reason, crate::trace::WaitReason::Backoff);
        let types: Vec<&str> = t.markers.iter().map(|m| m.type_.as_str()).collect();
        assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
        assert_eq!(t.next_moment(0), Some(1_000));
        assert_eq!(t.previous_moment(1_000), Some(0));
    }

    #[test]
    fn indexed_jobs_have_a_lane_per_index_and_deleted_pods_terminate() {
        let o = run_text(&scenario(
            "    completions: 3\n    parallelism: 3\n    completionMode: Indexed",
            "behavior:\n  default: {runFor: 60s, sigtermDelay: 5s}\nactions:\n- {at: 20s, action: delete-pod, pod: {index: 1}}",
        ))
        .unwrap();
        let t = Timeline::build(&o.trace, 0, o.ended_at);
        assert_eq!(t.lanes, 3);
        let deleted = t
            .bars
            .iter()
            .find(|b| b.index == Some(1) && b.from == 0)
            .unwrap();
        let kinds: Vec<SegmentKind> = deleted.segments.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SegmentKind::Pending,
                SegmentKind::Running,
                SegmentKind::Terminating
            ]
        );
        assert_eq!(deleted.outcome, Some(SegmentKind::Failed));
        assert_eq!(deleted.segments[2].from, 20_000);
        assert!(t.bars.iter().filter(|b| b.lane == 1).count() == 2);
    }
}
