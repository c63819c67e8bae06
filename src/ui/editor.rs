//! The YAML editor: a plain textarea (so that every browser, screen reader
//! and test can type into it) with line numbers and error markers in a
//! gutter, and a highlight under each line that has an error.

use jobsim::admission::Diagnostic;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Line height of the editor's text, in px (the gutter and the highlight
/// follow it).
const LINE_PX: f64 = 19.0;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: std::rc::Rc<str>,
    pub markers: Vec<Diagnostic>,
    pub label: &'static str,
    pub on_input: Callback<String>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let scroll = use_state(|| 0.0f64);
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            scroll.set(f64::from(area.scroll_top()));
        })
    };
    let lines = props.text.lines().count().max(1) + usize::from(props.text.ends_with('\n'));
    let error_lines: Vec<usize> = props.markers.iter().filter_map(|m| m.line).collect();
    let gutter_style = format!("transform: translateY({}px)", -*scroll);
    html! {
        <div class="editor-wrap">
            <label for="editor">{ props.label }</label>
            <div class="editor">
                <div class="gutter" aria-hidden="true">
                    <div class="gutter-lines" style={gutter_style.clone()}>
                        { for (1..=lines).map(|n| {
                            let bad = error_lines.contains(&n);
                            html! { <div class={classes!("gutter-line", bad.then_some("bad"))}>
                                { if bad { html! { <span class="marker">{ "!" }</span> } } else { html! {} } }
                                { n }
                            </div> }
                        }) }
                    </div>
                </div>
                <div class="editor-body">
                    <div class="highlights" aria-hidden="true" style={gutter_style}>
                        { for props.markers.iter().filter_map(|m| m.line.map(|l| (l, m.column.unwrap_or(1)))).map(|(line, column)| {
                            let style = format!("top: {}px", super::fixed((line - 1) as f64 * LINE_PX, 0));
                            let caret = format!("left: calc({}ch + 8px)", column - 1);
                            html! { <div class="error-line" {style} data-line={line.to_string()}>
                                <span class="error-caret" style={caret}>{ "▲" }</span>
                            </div> }
                        }) }
                    </div>
                    <textarea id="editor" data-testid="editor" spellcheck="false" autocomplete="off"
                        autocapitalize="off" wrap="off" value={props.text.clone()} {oninput} {onscroll}
                        aria-invalid={(!props.markers.is_empty()).to_string()}
                        aria-describedby={(!props.markers.is_empty()).then_some("manifest-error")} />
                </div>
            </div>
        </div>
    }
}
