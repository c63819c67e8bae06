//! The YAML editor. After the first render the code editor (CodeMirror,
//! editor/, imported as the site's editor.js) takes over the box: highlighting,
//! completion, hover docs and diagnostics, all asked of the engine in the
//! page's worker. Until then, with `?editor=plain`, or when it cannot load,
//! the box is a plain textarea (every browser, screen reader and test can
//! type into it); the errors are in the panel under it either way.

use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, wasm_bindgen};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The mounted code editor (editor.js `mountEditor`).
    type CodeEditor;
    #[wasm_bindgen(method, js_name = setDoc)]
    fn set_doc(this: &CodeEditor, text: &str);
    #[wasm_bindgen(method, js_name = setVersion)]
    fn set_version(this: &CodeEditor, version: &str);
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: std::rc::Rc<str>,
    /// The manifest does not pass admission (the plain box says so).
    pub invalid: bool,
    pub label: &'static str,
    pub on_input: Callback<String>,
    /// The Kubernetes release (completion and diagnostics follow it).
    pub version: Rc<str>,
    /// `?editor=plain`: the textarea only.
    pub plain: bool,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    // The code editor once mounted (it keeps its own undo history).
    let code = use_mut_ref(|| None::<CodeEditor>);
    let mounted = use_state(|| false);
    {
        let (host, code, mounted, on_input) = (
            host.clone(),
            code.clone(),
            mounted.clone(),
            props.on_input.clone(),
        );
        let (text, version, label, plain) = (
            props.text.clone(),
            props.version.clone(),
            props.label,
            props.plain,
        );
        use_effect_with((), move |_| {
            if let Some(host) = host.cast::<web_sys::Element>().filter(|_| !plain) {
                let on_change = Closure::<dyn Fn(String)>::new(move |t: String| on_input.emit(t));
                let args = js_sys::Array::of5(
                    &host,
                    &(*text).into(),
                    on_change.as_ref(),
                    &(*version).into(),
                    &label.into(),
                );
                on_change.forget();
                wasm_bindgen_futures::spawn_local(async move {
                    // Not loaded (offline, blocked): the plain box stays.
                    if let Ok(editor) =
                        super::services::call("editor.js", "mountEditor", &args).await
                    {
                        *code.borrow_mut() = Some(editor.unchecked_into());
                        mounted.set(true);
                    }
                });
            }
        });
    }
    // A text from outside (an example, a link, a level) goes into the editor.
    {
        let code = code.clone();
        use_effect_with(
            (props.text.clone(), props.version.clone(), *mounted),
            move |(text, version, _)| {
                if let Some(editor) = code.borrow().as_ref() {
                    editor.set_doc(text);
                    editor.set_version(version);
                }
            },
        );
    }
    let box_attrs = if *mounted { "code" } else { "plain" };
    html! {
        <div class="editor-wrap">
            <label for="editor">{ props.label }</label>
            <div class={classes!("editor", (*mounted).then_some("code"))} data-testid="editor" data-editor={box_attrs}>
                <div class="cm-host" ref={host}></div>
                if !*mounted {
                    { plain(props) }
                }
            </div>
        </div>
    }
}

/// The plain textarea (its errors are in the panel below it).
fn plain(props: &EditorProps) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    html! {
        <textarea id="editor" spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
            value={props.text.clone()} {oninput} aria-invalid={props.invalid.to_string()}
            aria-describedby={props.invalid.then_some("manifest-error")} />
    }
}
