//! The animated pod timeline: a lane per completion index (Indexed) or pod
//! slot, a bar per pod with its phases, backoff gaps with their delays,
//! restarts, and condition markers. Only the lanes in view, and what falls
//! in the zoomed window, are rendered. Bars are drawn whole; a cover that
//! moves with the playhead hides the future, so playback only moves one
//! element per frame. Zoom and pan as in Perfetto and Jaeger: the +, −
//! and fit buttons, Ctrl/⌘+wheel or a pinch about the pointer, drag or
//! Shift+wheel to pan, and W/S/A/D inside the timeline.

use super::fixed;
use super::i18n::texts;
use super::model::{Derived, Msg, Selection};
use jobsim::scenario::duration::format as dur;
use jobsim::time::Ms;
use jobsim::view::explain::Locale;
use jobsim::view::explain::gap_label;
use jobsim::view::pods::{phase_at, terminating_at};
use jobsim::view::timeline::{Bar, SegmentKind};
use jobsim::view::window::{Axis, BREAK_PCT, Window};
use std::rc::Rc;
use web_sys::{Element, KeyboardEvent, PointerEvent, WheelEvent};
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
    /// The stretch of the run shown, and how the axis maps it.
    pub axis: Axis,
    /// The page's messages (zoom and pan).
    pub dispatch: Callback<Msg>,
    /// Quiet stretches are collapsed (the toggle's state).
    pub collapse: bool,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.derived, &other.derived)
            && self.cursor == other.cursor
            && self.reveal_until == other.reveal_until
            && self.selection == other.selection
            && self.locale == other.locale
            && self.follow == other.follow
            && self.axis == other.axis
            && self.collapse == other.collapse
    }
}

fn pct(t: Ms, end: Ms) -> f64 {
    if end == 0 {
        0.0
    } else {
        t as f64 * 100.0 / end as f64
    }
}

/// Where the cover of the future starts, in percent of the lanes: the
/// cursor's place, held at an edge when it is out of view (all of the
/// window is then future, or none of it; the playhead waits at that edge).
pub fn cover_pct(axis: &Axis, cursor: Ms) -> f64 {
    axis.pct(cursor).clamp(0.0, 100.0)
}

/// Zoom per button press or W/S key, and per 100 px of wheel.
const ZOOM_STEP: f64 = 0.5;

/// A drag or pinch on the lanes, as the pointers move.
#[derive(Default)]
struct Gesture {
    /// The pointers down: (id, x in px).
    pointers: Vec<(i32, f64)>,
    /// The window and the pointers' x when the gesture began.
    start: Option<(Window, f64, f64)>,
    /// The pointer moved far enough to be a drag, not a click.
    moved: bool,
}

/// The fraction of the lanes' width at a client x, and the width in px.
fn across(track: &NodeRef, client_x: f64) -> Option<(f64, f64)> {
    let el = track.cast::<Element>()?;
    let r = el.get_bounding_client_rect();
    (r.width() > 0.0).then(|| ((client_x - r.left()) / r.width(), r.width()))
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

#[function_component(TimelineView)]
pub fn timeline_view(props: &TimelineProps) -> Html {
    let scroll = use_state(|| 0.0f64);
    let lanes_ref = use_node_ref();
    let track_ref = use_node_ref();
    let gesture = use_mut_ref(Gesture::default);
    let axis = &props.axis;
    let w = axis.window;
    let collapse = props.collapse;
    let t = texts(props.locale);
    // While playing, scroll to the first lane with a pod running now; in a
    // zoomed window, to the first lane with a pod in it.
    let in_window = props
        .derived
        .run
        .as_ref()
        .filter(|r| w != Window::whole(r.timeline.end))
        .and_then(|run| {
            run.timeline
                .bars
                .iter()
                .filter(|b| w.overlaps(b.from, b.to))
                .map(|b| b.lane)
                .min()
        });
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
        use_effect_with(busy_lane.or(in_window), move |lane| {
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
    let dispatch = &props.dispatch;
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
    let onkeydown = {
        let on_select = props.on_select.clone();
        let selection = props.selection.clone();
        let (timeline, cursor) = (run.timeline.clone(), props.cursor);
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            // W/S zoom in and out, A/D pan by a quarter of the window.
            let view = match e.key().to_ascii_lowercase().as_str() {
                "w" => Some(Msg::Zoom {
                    factor: ZOOM_STEP,
                    at: None,
                }),
                "s" => Some(Msg::Zoom {
                    factor: 1.0 / ZOOM_STEP,
                    at: None,
                }),
                "a" => Some(Msg::Pan(-((w.span() / 4) as i64))),
                "d" => Some(Msg::Pan((w.span() / 4) as i64)),
                _ => None,
            };
            if let Some(msg) = view.filter(|_| !e.ctrl_key() && !e.meta_key() && !e.alt_key()) {
                e.prevent_default();
                dispatch.emit(msg);
                return;
            }
            let step: isize = match e.key().as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                _ => return,
            };
            e.prevent_default();
            // ↑/↓ move the selection between pods present now, in lane
            // order (worked out on the key press: a run may have 100,000).
            let present: Vec<usize> = {
                let mut bars: Vec<&Bar> =
                    timeline.bars.iter().filter(|b| b.from <= cursor).collect();
                jobsim::sort::sort_by_key(&mut bars, |b| (b.lane, b.from));
                bars.iter().map(|b| b.pod).collect()
            };
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
    let ticks = axis.ticks();
    let shown = |from: Ms, to: Ms| from <= props.reveal_until && w.overlaps(from, to);
    let marker_rows = tl
        .markers
        .iter()
        .filter(|m| shown(m.at, m.at))
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
        fixed(cover_pct(axis, props.cursor), 4)
    );
    // Ctrl/⌘+wheel (a trackpad's pinch) zooms about the pointer;
    // Shift+wheel pans; a plain wheel scrolls the lanes.
    let onwheel = {
        let (dispatch, track, axis) = (dispatch.clone(), track_ref.clone(), axis.clone());
        Callback::from(move |e: WheelEvent| {
            let Some((fraction, width)) = across(&track, f64::from(e.client_x())) else {
                return;
            };
            let delta = if e.delta_y() != 0.0 {
                e.delta_y()
            } else {
                e.delta_x()
            };
            if e.ctrl_key() || e.meta_key() {
                e.prevent_default();
                // 100 px of wheel is one step (×2); `powf` would cost the
                // wasm a libm.
                let steps = delta.abs() / 100.0;
                let factor = if delta > 0.0 {
                    1.0 + steps
                } else {
                    1.0 / (1.0 + steps)
                };
                dispatch.emit(Msg::Zoom {
                    factor,
                    at: Some(axis.at(fraction)),
                });
            } else if e.shift_key() || e.delta_x() != 0.0 && e.delta_y() == 0.0 {
                e.prevent_default();
                dispatch.emit(Msg::Pan((delta / width * w.span() as f64) as i64));
            }
        })
    };
    // One pointer drags the window; two pinch it.
    let onpointerdown = {
        let gesture = gesture.clone();
        Callback::from(move |e: PointerEvent| {
            let mut g = gesture.borrow_mut();
            g.pointers.retain(|(id, _)| *id != e.pointer_id());
            g.pointers.push((e.pointer_id(), f64::from(e.client_x())));
            let xs: Vec<f64> = g.pointers.iter().map(|p| p.1).collect();
            g.start = Some((w, xs[0], xs.get(1).copied().unwrap_or(xs[0])));
            g.moved = false;
        })
    };
    let onpointermove = {
        let (gesture, track, dispatch) = (gesture.clone(), track_ref.clone(), dispatch.clone());
        Callback::from(move |e: PointerEvent| {
            let mut g = gesture.borrow_mut();
            let Some(p) = g.pointers.iter_mut().find(|p| p.0 == e.pointer_id()) else {
                return;
            };
            p.1 = f64::from(e.client_x());
            let Some((start, a0, b0)) = g.start else {
                return;
            };
            let Some((_, width)) = across(&track, 0.0) else {
                return;
            };
            let msg = match g.pointers[..] {
                [(_, x)] if g.moved || (x - a0).abs() > 3.0 => {
                    let by = (a0 - x) / width * start.span() as f64;
                    Msg::SetView(
                        (start.from as f64 + by).max(0.0) as Ms,
                        (start.from as f64 + by).max(0.0) as Ms + start.span(),
                    )
                }
                [(_, a), (_, b), ..] if (b0 - a0).abs() > 1.0 && (b - a).abs() > 1.0 => {
                    let middle = across(&track, (a0 + b0) / 2.0).map_or(0.5, |f| f.0);
                    let zoomed = start.zoom((b0 - a0).abs() / (b - a).abs(), start.at(middle), end);
                    Msg::SetView(zoomed.from, zoomed.to)
                }
                _ => return,
            };
            // A drag from now on: the lanes get the pointer even off them
            // (captured only now, so that a click still reaches its bar).
            if !g.moved
                && let Some(el) = track.cast::<Element>()
            {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            g.moved = true;
            drop(g);
            dispatch.emit(msg);
        })
    };
    let onpointerup = {
        let gesture = gesture.clone();
        Callback::from(move |e: PointerEvent| {
            let mut g = gesture.borrow_mut();
            g.pointers.retain(|(id, _)| *id != e.pointer_id());
            g.start = None;
        })
    };
    // A click that ended a drag selects nothing.
    let on_select = {
        let (gesture, on_select) = (gesture.clone(), props.on_select.clone());
        Callback::from(move |s: Selection| {
            if !gesture.borrow().moved {
                on_select.emit(s);
            }
        })
    };
    let zoom =
        |testid: &'static str, label: &'static str, title: &'static str, msg: fn() -> Msg| {
            let dispatch = dispatch.clone();
            html! { <button class="zoom" data-testid={testid} aria-label={title} {title}
            onclick={Callback::from(move |_| dispatch.emit(msg()))}>{ label }</button> }
        };
    html! {
        <div class={classes!("timeline-view", run.cron_job().then_some("cron"))}>
        <div class="zoom-bar">
                { zoom("zoom-in", "+", t.zoom_in, || Msg::Zoom { factor: ZOOM_STEP, at: None }) }
                { zoom("zoom-out", "−", t.zoom_out, || Msg::Zoom { factor: 1.0 / ZOOM_STEP, at: None }) }
                { zoom("zoom-fit", "⤢", t.zoom_fit, || Msg::ZoomFit) }
                <button class="zoom" data-testid="zoom-collapse" aria-pressed={collapse.to_string()} title={t.collapse}
                    aria-label={t.collapse} onclick={{ let d = dispatch.clone(); Callback::from(move |_| d.emit(Msg::Collapse(!collapse))) }}>{ "⇥⇤" }</button>
                <span class="hint" data-testid="zoom-window">{
                    if w == Window::whole(end) { t.zoom_hint.to_string() } else { format!("{}–{}", dur(w.from), dur(w.to)) }
                }</span>
            </div>
        <super::overview::OverviewView derived={props.derived.clone()} window={w} cursor={props.cursor} dispatch={dispatch.clone()} />
        <div class="timeline" data-testid="timeline" tabindex="0" role="group"
            aria-label={t.timeline} {onkeydown} {onwheel}>
            <div class="track axis" aria-hidden="true">
                { for ticks.iter().map(|&tick| html! {
                    <span class={classes!("tick", (axis.pct(tick) > 92.0).then_some("end"))} style={format!("left: {}%", fixed(axis.pct(tick), 4))}>{ dur(tick) }</span>
                }) }
            </div>
            { if run.cron_job() { cron_lanes(run, axis, props.cursor, t, dispatch) } else { html! {} } }
            <div class="track markers" style={format!("height: {}px", 28 * marker_rows)}>
                { for tl.markers.iter().enumerate().filter(|(_, m)| shown(m.at, m.at)).map(|(i, m)| {
                    // Markers at the same instant stack.
                    let row = tl.markers[..i].iter().filter(|o| o.at == m.at).count();
                    let on_select = on_select.clone();
                    let selected = props.selection == Selection::Marker(i);
                    let label = m.label();
                    let x = axis.pct(m.at);
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
                    <div class="lanes-track" ref={track_ref} {onpointerdown} {onpointermove}
                        onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                        { outages(run, axis, props.cursor, t) }
                        { for axis.breaks.iter().map(|&(a, b)| {
                            let d = dispatch.clone();
                            let title = t.collapsed.replace("{d}", &dur(b - a));
                            html! { <button class="axis-break" data-testid="axis-break" title={title.clone()} aria-label={title}
                                style={format!("left: {}%; width: {}%", fixed(axis.pct(a), 4), fixed(BREAK_PCT, 1))}
                                onclick={Callback::from(move |_| d.emit(Msg::Expand(a)))}>{ "≈" }</button> }
                        }) }
                        { for tl.markers.iter().filter(|m| shown(m.at, m.at)).map(|m| html! {
                            <div class={classes!("marker-line", format!("marker-{}", m.type_.as_str().to_ascii_lowercase()))}
                                style={format!("left: {}%", fixed(axis.pct(m.at), 4))} aria-hidden="true" />
                        }) }
                        { for tl.gaps.iter().enumerate().filter(|(_, g)| visible(g.lane) && shown(g.from, g.to)).map(|(i, g)| {
                            let on_select = on_select.clone();
                            let selected = props.selection == Selection::Gap(i);
                            let r = &g.replacement;
                            let label = gap_label(r, props.locale);
                            let title = format!("{label}: {}–{}", dur(g.from), dur(g.to));
                            html! {
                                <div class={classes!("gap", selected.then_some("selected"))} data-testid="backoff-gap"
                                    data-reason={r.reason.as_str()} data-delay={r.backoff.map(|b| dur(b.delay)).unwrap_or_default()}
                                    role="button" tabindex="-1" aria-label={title.clone()} title={title}
                                    style={format!("top: {}px; left: {}%; width: {}%", fixed(g.lane as f64 * LANE_PX + 5.0, 0), fixed(axis.pct(g.from), 4), fixed(axis.pct(g.to) - axis.pct(g.from), 4))}
                                    onclick={Callback::from(move |_| on_select.emit(Selection::Gap(i)))}>
                                    <span class="gap-label">{ label }</span>
                                </div>
                            }
                        }) }
                        { for tl.bars.iter().filter(|b| visible(b.lane) && shown(b.from, b.to)).map(|b| {
                            let pod = &trace.pods[b.pod];
                            let phase = match phase_at(pod, props.cursor) {
                                Some(p) if !p.is_terminal() && terminating_at(pod, props.cursor) => "Terminating",
                                Some(p) => p.as_str(),
                                None if b.from > props.cursor => "",
                                None => "Deleted",
                            };
                            pod_bar(b, &pod.name, axis, phase, props.selection == Selection::Pod(b.pod), &on_select, t.restart)
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
        </div>
    }
}

fn pod_bar(
    b: &Bar,
    name: &str,
    axis: &Axis,
    phase: &str,
    selected: bool,
    on_select: &Callback<Selection>,
    restart: &str,
) -> Html {
    let span = (b.to - b.from).max(1);
    let style = format!(
        "top: {}px; left: {}%; width: {}%",
        fixed(b.lane as f64 * LANE_PX + 2.0, 0),
        fixed(axis.pct(b.from), 4),
        fixed(axis.pct(b.to) - axis.pct(b.from), 4)
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

/// The controllers' outages up to the cursor, as bands across the lanes.
fn outages(run: &super::model::Run, axis: &Axis, cursor: Ms, t: &super::i18n::Texts) -> Html {
    let trace = &run.outcome.trace;
    html! { <>{ for trace.log.outages.iter().filter(|(down, _)| *down <= cursor).map(|&(down, up)| {
        let up = up.unwrap_or(run.outcome.ended_at).min(cursor);
        let title = format!("{}: {}–{}", t.controllers_down, dur(down), dur(up));
        html! { <div class="outage" data-testid="outage" title={title.clone()} aria-label={title}
            style={format!("left: {}%; width: {}%", fixed(axis.pct(down), 4), fixed(axis.pct(up) - axis.pct(down), 4))} /> }
    }) }</> }
}

/// Lane height of a CronJob's Job, in px.
const CRON_LANE_PX: f64 = 22.0;

/// One lane per Job the CronJob created (to the cursor), on the pods' axis:
/// its bar from creation to finish (or to when it left the API), how it
/// ended ("cleaned up" by the history limit and "replaced" by Replace are
/// not failures), the schedule times it skipped with their reason, and
/// its warnings. Picking a lane shows that Job's pods below.
fn cron_lanes(
    run: &super::model::Run,
    axis: &Axis,
    cursor: Ms,
    t: &super::i18n::Texts,
    dispatch: &Callback<Msg>,
) -> Html {
    let (rows, marks) = jobsim::view::cronjob::rows(&run.outcome.trace, 0);
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| r.created_at <= cursor)
        .collect();
    html! {
        <div class="cron-lanes" role="list" aria-label={t.cron_rows_help}
            style={format!("height: {}px", fixed(rows.len() as f64 * CRON_LANE_PX + 22.0, 0))}>
            <div class="cron-band">{ outages(run, axis, cursor, t) }</div>
            <div class="cron-marks">
                { for marks.iter().enumerate().filter(|(_, m)| m.at <= cursor && axis.window.overlaps(m.at, m.at)).map(|(i, m)| {
                    let skip = m.reason == "JobAlreadyActive";
                    let sign = if skip { "⊘" } else { "⚠" };
                    // As much of the label as fits before the next mark.
                    let room = marks.get(i + 1).filter(|n| n.at <= cursor).map_or(100.0, |n| axis.pct(n.at) - axis.pct(m.at));
                    let label = match room {
                        r if r > 25.0 && skip => format!("{sign} {} ({})", t.skipped, m.reason),
                        r if r > 12.0 => format!("{sign} {}", m.reason),
                        _ => sign.to_string(),
                    };
                    html! { <span class={classes!("cron-mark", if skip { "skip" } else { "warn" })}
                        data-testid="cron-mark" data-reason={m.reason.clone()}
                        style={format!("left: {}%", fixed(axis.pct(m.at), 4))} title={format!("{} {}: {}", dur(m.at), m.reason, m.message)}>
                        { label }
                    </span> }
                }) }
            </div>
            { for rows.iter().enumerate().map(|(i, r)| {
                let finished = r.finished_at.filter(|&f| f <= cursor);
                let deleted = r.deleted.filter(|&(d, _)| d <= cursor);
                let state = match (deleted, finished) {
                    (Some((_, why)), _) => why,
                    (None, Some(_)) if r.complete => "Complete",
                    (None, Some(_)) => "Failed",
                    (None, None) => "Running",
                };
                let bar_end = finished.or(deleted.map(|(d, _)| d)).unwrap_or(cursor);
                let outcome = match finished {
                    Some(_) if r.complete => "complete",
                    Some(_) => "failed",
                    None => "running",
                };
                let select = {
                    let (dispatch, job) = (dispatch.clone(), r.job);
                    Callback::from(move |_: MouseEvent| dispatch.emit(Msg::SelectJob(job)))
                };
                let name = if r.manual { format!("⚡ {}", r.name) } else { r.name.clone() };
                let shown = match state {
                    "cleaned up" => t.cleaned_up,
                    "replaced" => t.replaced,
                    "deleted" => t.deleted,
                    // Kubernetes' own words (Complete, Failed, Running, TTL).
                    other => other,
                };
                let selected = run.job == Some(r.job);
                html! {
                    <button role="listitem" class={classes!("cron-row", selected.then_some("selected"))}
                        data-testid="cronjob-row" data-job-name={r.name.clone()} data-state={state}
                        aria-pressed={selected.to_string()} onclick={select} title={format!("{name}: {shown}")}
                        style={format!("top: {}px", fixed(22.0 + i as f64 * CRON_LANE_PX, 0))}>
                        <span class="lane-label">{ name }</span>
                        <span class="cron-track">
                            <span class={classes!("cron-bar", outcome)}
                                style={format!("left: {}%; width: {}%", fixed(axis.pct(r.created_at), 4), fixed(axis.pct(bar_end) - axis.pct(r.created_at), 4))} />
                            { for deleted.map(|(d, why)| html! {
                                <span class={classes!("cron-gone", why.replace(' ', "-"))} style={format!("left: {}%", fixed(axis.pct(d), 4))}>{ shown }</span>
                            }) }
                        </span>
                    </button>
                }
            }) }
        </div>
    }
}
