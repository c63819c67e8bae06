//! Requests to the page's worker (src/worker.rs, started by
//! www/services.js on the first one).

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = window, js_name = jobsimAsk)]
    fn ask_js(request: &js_sys::Array) -> js_sys::Promise;
}

/// The worker's answer to `[command, ...arguments]`, or why there is none.
pub async fn ask(request: &[&str]) -> Result<String, String> {
    let request: js_sys::Array = request.iter().map(|s| JsValue::from_str(s)).collect();
    let text = |v: JsValue| v.as_string().unwrap_or_default();
    wasm_bindgen_futures::JsFuture::from(ask_js(&request))
        .await
        .map(text)
        .map_err(text)
}
