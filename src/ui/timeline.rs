//! The animated pod timeline: a lane per completion index (Indexed) or pod
//! slot, a bar per pod with its phases, backoff gaps with their delays,
//! restarts, and condition markers. Only the lanes in view are rendered.
//! Bars are drawn whole; a cover that moves with the playhead hides the
//! future, so playback only moves one element per frame.

use super::fixed;
use super::i18n::texts;
use super::model::{Derived, Selection};
use jobsim::scenario::duration::format as dur;
use jobsim::time::Ms;
use jobsim::view::explain::Locale;
use jobsim::view::explain::gap_label;
use jobsim::view::pods::{phase_at, terminating_at};
use jobsim::view::timeline::{Bar, SegmentKind};
use std::rc::Rc;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

pub const LANE_PX: f64 = 28.0;
const VIEW_PX: f64 = 336.0;

#[derive(Properties)]
pub struct TimelineProps {
    pub derived: Rc<Derived>,
    /// The time the views show.
    pub cursor: Ms,
    /// Pods, gaps and markers up to this time are in the page (ahead of
    /// the cursor during playback, so that they are there when the
    /// playhead reaches them).
    pub reveal_until: Ms,
    pub selection: Selection,
    pub locale: Locale,
    pub on_select: Callback<Selection>,
    pub cover_ref: NodeRef,
    /// Keep the pods that run now in view (during playback).
    pub follow: bool,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.derived, &other.derived)
            && self.cursor == other.cursor
            && self.reveal_until == other.reveal_until
            && self.selection == other.selection
            && self.locale == other.locale
            && self.follow == other.follow
    }
}

fn pct(t: Ms, end: Ms) -> f64 {
    if end == 0 {
        0.0
    } else {
        t as f64 * 100.0 / end as f64
    }
}

fn seg_class(kind: SegmentKind) -> &'static str {
    match kind {
        SegmentKind::Pending => "seg seg-pending",
        SegmentKind::Running => "seg seg-running",
        SegmentKind::Terminating => "seg seg-terminating",
        SegmentKind::Succeeded => "seg seg-succeeded",
        SegmentKind::Failed => "seg seg-failed",
    }
}

/// A "nice" tick step giving at most eight ticks.
fn tick_step(end: Ms) -> Ms {
    const STEPS: [Ms; 14] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
    ];
    STEPS
        .iter()
        .map(|s| s * 1000)
        .find(|s| end / s <= 8)
        .unwrap_or(14_400_000)
}

#[function_component(TimelineView)]
pub fn timeline_view(props: &TimelineProps) -> Html {
    let scroll = use_state(|| 0.0f64);
    let lanes_ref = use_node_ref();
    let t = texts(props.locale);
    // While playing, scroll to the first lane with a pod running now.
    let busy_lane = props
        .derived
        .run
        .as_ref()
        .filter(|_| props.follow)
        .and_then(|run| {
            run.timeline
                .bars
                .iter()
                .filter(|b| b.from <= props.cursor && b.to > props.cursor)
                .map(|b| b.lane)
                .min()
        });
    {
        let lanes_ref = lanes_ref.clone();
        let top = *scroll;
        use_effect_with(busy_lane, move |lane| {
            if let (Some(lane), Some(el)) = (lane, lanes_ref.cast::<Element>()) {
                let y = *lane as f64 * LANE_PX;
                if y < top || y > top + VIEW_PX - LANE_PX {
                    el.set_scroll_top((y - LANE_PX).max(0.0) as i32);
                }
            }
        });
    }
    let Some(run) = props.derived.run.as_ref() else {
        return html! { <div class="timeline empty" data-testid="timeline" /> };
    };
    let tl = &run.timeline;
    let trace = &run.outcome.trace;
    let end = tl.end.max(1);
    let first_lane = ((*scroll / LANE_PX) as usize).saturating_sub(3);
    let last_lane = first_lane + (VIEW_PX / LANE_PX) as usize + 6;
    let visible = |lane: usize| lane >= first_lane && lane <= last_lane;
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            scroll.set(f64::from(el.scroll_top()));
        })
    };
    // ↑/↓ move the selection between pods present now, in lane order.
    let present: Vec<usize> = {
        let mut bars: Vec<&Bar> = tl.bars.iter().filter(|b| b.from <= props.cursor).collect();
        jobsim::sort::sort_by_key(&mut bars, |b| (b.lane, b.from));
        bars.iter().map(|b| b.pod).collect()
    };
    let onkeydown = {
        let on_select = props.on_select.clone();
        let selection = props.selection.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: isize = match e.key().as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                _ => return,
            };
            e.prevent_default();
            if present.is_empty() {
                return;
            }
            let at = match selection {
                Selection::Pod(p) => present.iter().position(|&q| q == p),
                _ => None,
            };
            let next = match at {
                Some(i) => (i as isize + step).clamp(0, present.len() as isize - 1) as usize,
                None if step > 0 => 0,
                None => present.len() - 1,
            };
            on_select.emit(Selection::Pod(present[next]));
        })
    };
    let lane_label = if tl.indexed {
        t.lane_index
    } else {
        t.lane_slot
    };
    let step = tick_step(end);
    let ticks: Vec<Ms> = (0..=end / step).map(|i| i * step).collect();
    let marker_rows = tl
        .markers
        .iter()
        .filter(|m| m.at <= props.reveal_until)
        .map(|m| {
            tl.markers
                .iter()
                .filter(|o| o.at == m.at && o.at <= props.reveal_until)
                .count()
        })
        .max()
        .unwrap_or(1);
    let cover_style = format!(
        "transform: translateX({}%)",
        fixed(pct(props.cursor, end), 4)
    );
    html! {
        <div class="timeline" data-testid="timeline" tabindex="0" role="group"
            aria-label={t.timeline} {onkeydown}>
            <div class="track axis" aria-hidden="true">
                { for ticks.iter().map(|&tick| html! {
                    <span class={classes!("tick", (pct(tick, end) > 92.0).then_some("end"))} style={format!("left: {}%", fixed(pct(tick, end), 4))}>{ dur(tick) }</span>
                }) }
            </div>
            <div class="track markers" style={format!("height: {}px", 28 * marker_rows)}>
                { for tl.markers.iter().enumerate().filter(|(_, m)| m.at <= props.reveal_until).map(|(i, m)| {
                    // Markers at the same instant stack.
                    let row = tl.markers[..i].iter().filter(|o| o.at == m.at).count();
                    let on_select = props.on_select.clone();
                    let selected = props.selection == Selection::Marker(i);
                    let label = m.label();
                    let x = pct(m.at, end);
                    // Labels near the right edge extend to the left.
                    let shift = if x > 70.0 { "; transform: translateX(-100%)" } else { "" };
                    let style = format!("left: {}%; top: {}px{shift}", fixed(x, 4), 2 + row * 26);
                    html! {
                        <button class={classes!("marker", format!("marker-{}", m.type_.as_str().to_ascii_lowercase()), selected.then_some("selected"))}
                            data-testid="condition-marker" data-type={m.type_.as_str()} {style}
                            title={format!("{label} ({}) at {}", m.reason, dur(m.at))}
                            tabindex="-1"
                            onclick={Callback::from(move |_| on_select.emit(Selection::Marker(i)))}>
                            { format!("◆ {label}") }
                        </button>
                    }
                }) }
            </div>
            <div class="lanes-scroll" ref={lanes_ref} {onscroll}>
                <div class="lanes" style={format!("height: {}px", fixed(tl.lanes.max(1) as f64 * LANE_PX, 0))}>
                    { for (0..tl.lanes).filter(|&l| visible(l)).map(|lane| html! {
                        <div class="lane" style={format!("top: {}px", fixed(lane as f64 * LANE_PX, 0))}>
                            <span class="lane-label">{ format!("{lane_label} {lane}") }</span>
                        </div>
                    }) }
                    <div class="lanes-track">
                        { for tl.markers.iter().filter(|m| m.at <= props.reveal_until).map(|m| html! {
                            <div class={classes!("marker-line", format!("marker-{}", m.type_.as_str().to_ascii_lowercase()))}
                                style={format!("left: {}%", fixed(pct(m.at, end), 4))} aria-hidden="true" />
                        }) }
                        { for tl.gaps.iter().enumerate().filter(|(_, g)| visible(g.lane) && g.from <= props.reveal_until).map(|(i, g)| {
                            let on_select = props.on_select.clone();
                            let selected = props.selection == Selection::Gap(i);
                            let r = &g.replacement;
                            let label = gap_label(r, props.locale);
                            let title = format!("{label}: {}–{}", dur(g.from), dur(g.to));
                            html! {
                                <div class={classes!("gap", selected.then_some("selected"))} data-testid="backoff-gap"
                                    data-reason={r.reason.as_str()} data-delay={r.backoff.map(|b| dur(b.delay)).unwrap_or_default()}
                                    role="button" tabindex="-1" aria-label={title.clone()} title={title}
                                    style={format!("top: {}px; left: {}%; width: {}%", fixed(g.lane as f64 * LANE_PX + 5.0, 0), fixed(pct(g.from, end), 4), fixed(pct(g.to - g.from, end), 4))}
                                    onclick={Callback::from(move |_| on_select.emit(Selection::Gap(i)))}>
                                    <span class="gap-label">{ label }</span>
                                </div>
                            }
                        }) }
                        { for tl.bars.iter().filter(|b| visible(b.lane) && b.from <= props.reveal_until).map(|b| {
                            let pod = &trace.pods[b.pod];
                            let phase = match phase_at(pod, props.cursor) {
                                Some(p) if !p.is_terminal() && terminating_at(pod, props.cursor) => "Terminating",
                                Some(p) => p.as_str(),
                                None if b.from > props.cursor => "",
                                None => "Deleted",
                            };
                            pod_bar(b, &pod.name, end, phase, props.selection == Selection::Pod(b.pod), &props.on_select, t.restart)
                        }) }
                    </div>
                </div>
            </div>
            <div class="track-overlay" aria-hidden="true">
                <div class="future-cover" ref={props.cover_ref.clone()} style={cover_style}>
                    <div class="playhead" />
                </div>
            </div>
        </div>
    }
}

fn pod_bar(
    b: &Bar,
    name: &str,
    end: Ms,
    phase: &str,
    selected: bool,
    on_select: &Callback<Selection>,
    restart: &str,
) -> Html {
    let span = (b.to - b.from).max(1);
    let style = format!(
        "top: {}px; left: {}%; width: {}%",
        fixed(b.lane as f64 * LANE_PX + 2.0, 0),
        fixed(pct(b.from, end), 4),
        fixed(pct(b.to - b.from, end), 4)
    );
    let on_select = on_select.clone();
    let pod = b.pod;
    let (cap_class, icon) = match b.outcome {
        Some(SegmentKind::Succeeded) => ("cap cap-succeeded", "✓"),
        Some(SegmentKind::Failed) => ("cap cap-failed", "✕"),
        _ => ("", ""),
    };
    let label = format!(
        "{}{}: {}",
        name,
        b.index.map(|i| format!(" (index {i})")).unwrap_or_default(),
        b.segments
            .iter()
            .map(|s| format!("{} {}–{}", s.kind.as_str(), dur(s.from), dur(s.to)))
            .chain(
                b.outcome
                    .map(|o| format!("{} at {}", o.as_str(), dur(b.to)))
            )
            .collect::<Vec<_>>()
            .join(", ")
    );
    html! {
        <div class={classes!("pod-bar", selected.then_some("selected"))} data-testid="pod-bar"
            data-pod-name={name.to_string()} data-phase={phase.to_string()}
            data-index={b.index.map(|i| i.to_string()).unwrap_or_default()}
            role="button" tabindex="-1" aria-label={label.clone()} title={label} {style}
            onclick={Callback::from(move |_| on_select.emit(Selection::Pod(pod)))}>
            { for b.segments.iter().map(|s| html! {
                <div class={seg_class(s.kind)}
                    style={format!("left: {}%; width: {}%", fixed(pct(s.from - b.from, span), 4), fixed(pct(s.to - s.from, span), 4))} />
            }) }
            { for b.restarts.iter().map(|(at, container)| html! {
                <span class="restart" style={format!("left: {}%", fixed(pct(at - b.from, span), 4))}
                    title={format!("{restart}: {container} at {}", dur(*at))}>{ "↻" }</span>
            }) }
            { if icon.is_empty() { html! {} } else { html! { <span class={cap_class} aria-hidden="true">{ icon }</span> } } }
        </div>
    }
}
