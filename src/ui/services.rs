//! The site's JavaScript modules the page imports after its first render:
//! `services.js` (the client of the page's worker, src/worker.rs) and
//! `editor.js` (the code editor, bundled from editor/).

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(
    inline_js = "export function load(path) { return import(new URL(path, document.baseURI).href); }"
)]
extern "C" {
    /// Imports a module of the site (relative to the page).
    fn load(path: &str) -> js_sys::Promise;
}

/// Calls `export` of the module `path` with `args`; its result, awaited.
pub async fn call(path: &str, export: &str, args: &js_sys::Array) -> Result<JsValue, JsValue> {
    let module = JsFuture::from(load(path)).await?;
    let f: js_sys::Function = js_sys::Reflect::get(&module, &export.into())?.dyn_into()?;
    JsFuture::from(js_sys::Promise::resolve(&f.apply(&JsValue::NULL, args)?)).await
}

/// The worker's answer to `[command, ...arguments]`, or why there is none.
pub async fn ask(request: &[&str]) -> Result<String, String> {
    let request: js_sys::Array = request.iter().map(|s| JsValue::from_str(s)).collect();
    let text = |v: JsValue| {
        v.as_string()
            .unwrap_or_else(|| "error: the worker could not be started".into())
    };
    call("services.js", "ask", &js_sys::Array::of1(&request))
        .await
        .map(text)
        .map_err(text)
}
