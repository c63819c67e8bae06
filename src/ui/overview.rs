//! The overview above the lanes: the whole run as a stacked area of pods
//! per state (drawn once per run on a canvas: its cost does not grow with
//! the pods), the zoomed window as a brush, and the playhead. Dragging on
//! it sets the window; a click centres the window there.

use super::fixed;
use super::model::{Derived, Msg};
use jobsim::app::OVERVIEW_COLUMNS;
use jobsim::time::Ms;
use jobsim::view::window::Window;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, PointerEvent};
use yew::prelude::*;

/// The canvas's height in px.
const HEIGHT: u32 = 40;

/// The colours of `view::overview::STATES`, as the legend's.
const COLOURS: [&str; 4] = ["#D55E00", "#009E73", "#0072B2", "#E69F00"];

#[derive(Properties)]
pub struct OverviewProps {
    pub derived: Rc<Derived>,
    pub window: Window,
    pub cursor: Ms,
    pub dispatch: Callback<Msg>,
}

impl PartialEq for OverviewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.derived, &other.derived)
            && self.window == other.window
            && self.cursor == other.cursor
    }
}

#[function_component(OverviewView)]
pub fn overview_view(props: &OverviewProps) -> Html {
    let canvas = use_node_ref();
    // Where a drag began (its fraction of the width).
    let drag = use_mut_ref(|| None::<f64>);
    let overview = props.derived.run.as_ref().map(|r| r.overview.clone());
    {
        let canvas = canvas.clone();
        use_effect_with(overview.clone(), move |overview| {
            if let (Some(o), Some(canvas)) = (overview, canvas.cast::<HtmlCanvasElement>()) {
                draw(&canvas, o);
            }
        });
    }
    let Some(overview) = overview else {
        return html! {};
    };
    let end = overview.end;
    let whole = Window::whole(end);
    let w = props.window;
    let fraction = |e: &PointerEvent| {
        let el: Element = e.target_unchecked_into();
        let r = el.get_bounding_client_rect();
        ((f64::from(e.client_x()) - r.left()) / r.width().max(1.0)).clamp(0.0, 1.0)
    };
    let onpointerdown = {
        let drag = drag.clone();
        Callback::from(move |e: PointerEvent| {
            let el: Element = e.target_unchecked_into();
            let _ = el.set_pointer_capture(e.pointer_id());
            *drag.borrow_mut() = Some(fraction(&e));
        })
    };
    let onpointermove = {
        let (drag, dispatch) = (drag.clone(), props.dispatch.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(start) = *drag.borrow() else { return };
            let now = fraction(&e);
            if (now - start).abs() > 0.005 {
                let (a, b) = (whole.at(start.min(now)), whole.at(start.max(now)));
                dispatch.emit(Msg::SetView(a, b));
            }
        })
    };
    let onpointerup = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(start) = drag.borrow_mut().take() else {
                return;
            };
            let now = fraction(&e);
            // A click: the window, as wide as it is, centred there.
            if (now - start).abs() <= 0.005 {
                let middle = whole.at(now) as i64;
                let half = (w.span() / 2) as i64;
                dispatch.emit(Msg::SetView(
                    (middle - half).max(0) as Ms,
                    (middle + half).max(0) as Ms,
                ));
            }
        })
    };
    html! {
        <div class="overview" data-testid="overview" title="Overview: drag to choose the stretch shown">
            <canvas ref={canvas} width={OVERVIEW_COLUMNS.to_string()} height={HEIGHT.to_string()}
                {onpointerdown} {onpointermove} {onpointerup} />
            if w != whole {
                <div class="brush" data-testid="overview-brush" aria-hidden="true"
                    style={format!("left: {}%; width: {}%", fixed(whole.pct(w.from), 3), fixed(whole.pct(w.to) - whole.pct(w.from), 3))} />
            }
            <div class="overview-playhead" aria-hidden="true" style={format!("left: {}%", fixed(whole.pct(props.cursor), 3))} />
        </div>
    }
}

/// The stacked area, one column per pixel, scaled to the busiest column.
fn draw(canvas: &HtmlCanvasElement, o: &jobsim::view::overview::Overview) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let h = f64::from(HEIGHT);
    ctx.clear_rect(0.0, 0.0, OVERVIEW_COLUMNS as f64, h);
    let scale = h / f64::from(o.peak.max(1));
    for (state, colour) in COLOURS.iter().enumerate() {
        ctx.set_fill_style_str(colour);
        for (x, counts) in o.counts.iter().enumerate() {
            let below: u32 = counts[..state].iter().sum();
            let height = f64::from(counts[state]) * scale;
            if height > 0.0 {
                let top = h - f64::from(below) * scale - height;
                ctx.fill_rect(x as f64, top, 1.0, height);
            }
        }
    }
}
