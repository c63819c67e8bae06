//! What both wasm programs (the page, src/main.rs, and its worker,
//! src/worker.rs) need from the browser: fetching a file of the site.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `fetch` of the global scope: a window's or a worker's.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str) -> js_sys::Promise;
}

/// A file of the site (relative URLs are the page's, or the worker
/// script's: both live in the site's root).
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let failed = |_| format!("error: {url} could not be loaded");
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(global_fetch(url))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("error: {url}: HTTP {}", response.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(text.as_string().unwrap_or_default())
}
