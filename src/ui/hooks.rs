//! The App's effects as hooks: playback on animation frames, keyboard
//! shortcuts and pasted share links, and saving the work.

use super::model::{Msg, Store};
use super::{Shared, VIEW_REFRESH_MS, fixed, page, window};
use jobsim::time::Ms;
use jobsim::view::window::{Axis, Window};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// The playback loop's state, shared with the animation-frame callback.
#[derive(Default)]
struct Player {
    cursor: f64,
    speed: f64,
    end: f64,
    /// The timeline's axis: the playhead is drawn on it.
    axis: Option<Axis>,
    last_frame: Option<f64>,
    last_view: f64,
    reduced: bool,
    frame: Option<i32>,
    callback: Option<Closure<dyn FnMut(f64)>>,
}

impl Player {
    /// Asks for the next animation frame for the loop's callback.
    fn next_frame(&mut self) {
        self.frame = self.callback.as_ref().and_then(|c| {
            window()
                .request_animation_frame(c.as_ref().unchecked_ref())
                .ok()
        });
    }
}

/// Writes the playhead, clock and scrubber for `cursor` straight into the
/// page (no re-render).
fn paint(cursor: f64, axis: &Axis, cover: &NodeRef, clock: &NodeRef, scrubber: &NodeRef) {
    let pct = super::timeline::cover_pct(axis, cursor as Ms);
    if let Some(el) = cover.cast::<HtmlElement>() {
        let _ = el
            .style()
            .set_property("transform", &format!("translateX({}%)", fixed(pct, 4)));
    }
    // Change the text node Yew rendered (replacing it would detach Yew's).
    if let Some(text) = clock.cast::<HtmlElement>().and_then(|el| el.first_child()) {
        text.set_text_content(Some(&fixed(cursor / 1000.0, 1)));
    }
    if let Some(el) = scrubber.cast::<HtmlInputElement>() {
        el.set_value(&(cursor.round() as u64).to_string());
    }
}

fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Playback: while playing, an animation-frame loop moves the playhead,
/// clock and scrubber (`refs`) itself and tells the model ten times a
/// second (`Msg::Seek`).
#[hook]
pub fn use_playback(
    state: (bool, f64, Ms, Ms),
    axis: Axis,
    dispatch: &Callback<Msg>,
    refs: [&NodeRef; 3],
) {
    let (playing, speed, cursor, end) = state;
    let player = use_mut_ref(Player::default);
    let dispatch = dispatch.clone();
    let [cover, clock, scrubber] = refs.map(Clone::clone);
    // A new window (zoom, pan, following the playhead) applies at once.
    player.borrow_mut().axis = Some(axis);
    use_effect_with((playing, speed, end), move |&(playing, speed, end)| {
        {
            let mut p = player.borrow_mut();
            p.speed = speed;
            p.end = end as f64;
            if let Some(id) = p.frame.take() {
                let _ = window().cancel_animation_frame(id);
            }
            p.callback = None;
            if !playing {
                return;
            }
            p.cursor = cursor as f64;
            p.last_frame = None;
            p.reduced = reduced_motion();
        }
        let weak = Rc::downgrade(&player);
        let callback = Closure::<dyn FnMut(f64)>::new(move |now: f64| {
            let Some(player) = weak.upgrade() else { return };
            let mut p = player.borrow_mut();
            let elapsed = p.last_frame.map_or(0.0, |last| now - last);
            if p.reduced {
                // Discrete steps: jump every half second, no tweening.
                if p.last_frame.is_some() && elapsed < 500.0 {
                    p.next_frame();
                    return;
                }
            }
            // Reduced motion: each jump is exactly half a second of
            // wall time, however late the frame came.
            let step = if p.reduced && p.last_frame.is_some() {
                500.0
            } else {
                elapsed
            };
            p.last_frame = Some(now);
            p.cursor = (p.cursor + step * p.speed).min(p.end);
            paint(
                p.cursor,
                &p.axis
                    .clone()
                    .unwrap_or(Axis::linear(Window::whole(p.end as Ms))),
                &cover,
                &clock,
                &scrubber,
            );
            let done = p.cursor >= p.end;
            if done || now - p.last_view >= VIEW_REFRESH_MS || p.reduced {
                p.last_view = now;
                let cursor = p.cursor as Ms;
                drop(p);
                dispatch.emit(Msg::Seek(cursor));
                p = player.borrow_mut();
            }
            if !done {
                p.next_frame();
            }
        });
        let id = window()
            .request_animation_frame(callback.as_ref().unchecked_ref())
            .ok();
        let mut p = player.borrow_mut();
        p.callback = Some(callback);
        p.frame = id;
    });
}

/// Space, ←/→ and Home/End anywhere outside text fields; a new share link
/// pasted into this tab loads its scenario.
#[hook]
pub fn use_shortcuts(dispatch: &Callback<Msg>) {
    let dispatch = dispatch.clone();
    let dispatch_hash = dispatch.clone();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.is_composing()
                || e.key_code() == 229
                || e.ctrl_key()
                || e.meta_key()
                || e.alt_key()
            {
                return;
            }
            let in_field = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(
                        el.tag_name().as_str(),
                        "TEXTAREA" | "INPUT" | "SELECT" | "BUTTON"
                    ) || el.closest(".cm-editor").ok().flatten().is_some()
                });
            let msg = match e.key().as_str() {
                " " if !in_field => Msg::TogglePlay,
                "ArrowRight" if !in_field => Msg::Step(true),
                "ArrowLeft" if !in_field => Msg::Step(false),
                "Home" if !in_field => Msg::Seek(0),
                "End" if !in_field => Msg::Seek(Ms::MAX),
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(msg);
        });
        // A new share link pasted into this tab loads its scenario.
        let load = dispatch_hash.clone();
        let on_hash = Closure::<dyn FnMut()>::new(move || match page::pending_link() {
            Ok(Some(fragment)) => page::open_link(fragment, None, &load),
            Ok(None) => {}
            Err(e) => load.emit(Msg::Problem(Some(format!("error: {e}")))),
        });
        let document = window().document().expect("a document");
        let _ =
            document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        let _ = window()
            .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
        move || {
            let _ = document
                .remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            let _ = window().remove_event_listener_with_callback(
                "hashchange",
                on_hash.as_ref().unchecked_ref(),
            );
        }
    });
}

/// Saves the work in this browser whenever the user changes it (what a
/// link or `?preset=` opened replaces the saved work only once edited;
/// then the address stops naming it, so a reload keeps the edits). The
/// engine re-runs exactly when the scenario changes, so its result keys
/// the effect (no scenario text is written on every render).
#[hook]
pub fn use_autosave(
    params: &Rc<page::Params>,
    model: &UseReducerHandle<Store>,
    shared: &UseStateHandle<Shared>,
) {
    let (params, shared, model) = (params.clone(), shared.clone(), model.clone());
    use_effect_with(Rc::as_ptr(&model.derived) as usize, move |_| {
        if model.edited {
            let text = model.scenario_text();
            page::save_work(&params, &text, model.origin);
            page::address_after_edit(&params, text, model.cursor);
            shared.set(Shared::No);
        }
    });
}
