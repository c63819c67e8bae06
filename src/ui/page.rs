//! What the page's address and this browser's storage say: the language,
//! embed mode, a preset or level chosen by URL, a share link's scenario,
//! and the saved work. Embed mode (an iframe beside a docs page) neither
//! reads nor writes the saved work, so a docs page never overwrites what a
//! reader was doing in the full playground.

use super::window;
use crate::web::fetch_text;
use jobsim::app::Initial;
use jobsim::scenario::share;
use jobsim::time::Ms;
use jobsim::view::explain::Locale;

const SCENARIO_KEY: &str = "jobsim.scenario";
const ORIGIN_KEY: &str = "jobsim.origin";
const LOCALE_KEY: &str = "jobsim.lang";
const LEVELS_KEY: &str = "jobsim.levels";

/// The page's query parameters (`?embed=1&preset=pi&lang=ja&editor=1`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    pub embed: bool,
    /// Embed mode: show the editor open (it is folded by default).
    pub editor: bool,
    /// `?editor=plain`: the plain text box instead of the code editor.
    pub plain_editor: bool,
    pub preset: Option<String>,
    pub level: Option<String>,
    /// `?levels=a,b,c`: a workshop of these levels, in this order.
    pub levels: Option<String>,
    /// `?levelsUrl=`: the workshop's levels file (on this site).
    pub levels_url: Option<String>,
    pub lang: Option<String>,
}

impl Params {
    pub fn read() -> Params {
        let search = window().location().search().unwrap_or_default();
        let mut params = Params::default();
        for kv in search.trim_start_matches('?').split('&') {
            let (key, value) = kv.split_once('=').unwrap_or((kv, "1"));
            let on = !matches!(value, "0" | "false");
            match key {
                "embed" => params.embed = on,
                "editor" => {
                    params.editor = on;
                    params.plain_editor = value == "plain";
                }
                "preset" => params.preset = Some(value.to_string()),
                "level" => params.level = Some(value.to_string()),
                "levels" => params.levels = Some(decoded(value)),
                "levelsUrl" => params.levels_url = Some(decoded(value)),
                "lang" => params.lang = Some(value.to_string()),
                _ => {}
            }
        }
        params
    }
}

/// A query value with its `%XX` escapes decoded.
fn decoded(value: &str) -> String {
    js_sys::decode_uri_component(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| value.to_string())
}

impl Params {
    /// The page opens with the workshop.
    pub fn workshop(&self) -> bool {
        self.level.is_some() || self.levels.is_some() || self.levels_url.is_some()
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// `?lang=`, else the language picked here before, else the browser's.
pub fn initial_locale(params: &Params) -> Locale {
    let tag = params
        .lang
        .clone()
        .or_else(|| load(LOCALE_KEY))
        .or_else(|| window().navigator().language())
        .unwrap_or_default();
    Locale::from_tag(&tag)
}

pub fn save_locale(locale: Locale) {
    save(LOCALE_KEY, locale.tag());
}

/// The share link in the page's address, if any (still to be inflated).
pub fn pending_link() -> Result<Option<share::Fragment>, String> {
    share::read_fragment(&window().location().hash().unwrap_or_default())
}

/// `?preset=`, else the saved work (not in embed mode); a share link in
/// the address replaces it as soon as it is inflated.
pub fn initial(params: &Params) -> Initial {
    let mut initial = Initial {
        scenario: None,
        origin: params.preset.clone(),
    };
    if params.preset.is_none() && !params.embed {
        initial.scenario = load(SCENARIO_KEY);
        initial.origin = load(ORIGIN_KEY);
    }
    initial
}

/// Keeps the work in this browser (not in embed mode).
pub fn save_work(params: &Params, scenario: &str, origin: &str) {
    if !params.embed {
        save(SCENARIO_KEY, scenario);
        save(ORIGIN_KEY, origin);
    }
}

/// Fetches the engine's data tables and hands them to the model.
pub fn load_tables(dispatch: &yew::Callback<super::model::Msg>) {
    use super::model::Msg;
    for table in jobsim::tables::ALL {
        let dispatch = dispatch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            dispatch.emit(match fetch_text(table.url()).await {
                Ok(text) => Msg::TableLoaded(table, text),
                Err(e) => Msg::Problem(Some(e)),
            });
        });
    }
}

/// Fetches an example (only listed ones) and hands it to the model.
pub fn load_preset(id: &str, picked: bool, dispatch: &yew::Callback<super::model::Msg>) {
    use super::model::Msg;
    let Some(id) = jobsim::presets::id(id) else {
        return;
    };
    let dispatch = dispatch.clone();
    wasm_bindgen_futures::spawn_local(async move {
        dispatch.emit(match fetch_text(&format!("scenarios/{id}.yaml")).await {
            Ok(text) => Msg::PresetLoaded { id, text, picked },
            Err(e) => Msg::Problem(Some(e)),
        });
    });
}

/// Replaces the page's address without a reload.
fn set_address(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Once the user has changed the scenario, the address no longer names
/// what the page opened (`?preset=`, `?level=`, a share link), so that a
/// reload brings the work back: the plain address in the full playground
/// (the work is saved in this browser), and in embed mode, which saves
/// nothing, a share link of the work.
pub fn address_after_edit(params: &Params, scenario: String, cursor: Ms) {
    let base = base_url(false);
    if !params.embed {
        set_address(&base);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(link) = share_link(&base, &scenario, cursor).await {
            set_address(&link);
        }
    });
}

/// What the workshop remembers in this browser: each level solved.
pub fn progress() -> jobsim::levels::Progress {
    jobsim::levels::Progress::read(&load(LEVELS_KEY).unwrap_or_default())
}

pub fn save_progress(progress: &jobsim::levels::Progress) {
    save(LEVELS_KEY, &progress.write());
}

/// The page's address without its fragment and without what opened the
/// page (`preset`, `level`), and also without `embed`/`editor` and the
/// workshop's set when `full` (the "open in full playground" link, a
/// workshop link).
pub fn base_url(full: bool) -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let key = kv.split('=').next().unwrap_or_default();
            // A workshop's set (`levels`, `levelsUrl`) stays through edits.
            !(matches!(key, "preset" | "level")
                || full && matches!(key, "embed" | "editor" | "levels" | "levelsUrl"))
        })
        .collect();
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    format!("{}{path}{query}", location.origin().unwrap_or_default())
}

/// A share link to `scenario` at `cursor` from `base`, or its length when
/// it is longer than links may be. The browser deflates the text
/// (CompressionStream "deflate-raw").
pub async fn share_link(base: &str, scenario: &str, cursor: Ms) -> Result<String, usize> {
    let pinned = share::pinned(scenario).unwrap_or_else(|_| scenario.to_string());
    let deflated = deflate_raw(&pinned).await.unwrap_or_default();
    let link = format!("{base}#{}", share::fragment_of_deflated(&deflated, cursor));
    if link.len() > share::MAX_LINK_CHARS {
        Err(link.len())
    } else {
        Ok(link)
    }
}

// The browser's own raw DEFLATE (the Compression Streams API), so the
// page carries no compressor (miniz's costs about 25 KB of wasm). The
// stream plumbing is a few lines of JavaScript; in Rust through web-sys it
// cost 1.5 KB.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
async function pipe(bytes, stream, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) { reader.cancel(); return 'too-large'; }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}
export function deflateRaw(bytes) {
  return pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
}
export function inflateRaw(bytes, limit) {
  return pipe(bytes, new DecompressionStream('deflate-raw'), limit).catch(() => undefined);
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = deflateRaw)]
    fn deflate_raw_js(bytes: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(js_name = inflateRaw)]
    fn inflate_raw_js(bytes: &[u8], limit: u32) -> js_sys::Promise;
}

/// The bytes a promise of a Uint8Array resolves to, or why not (it
/// resolved to something else, or was rejected).
async fn bytes(promise: js_sys::Promise) -> Result<Vec<u8>, String> {
    let value = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .filter(|v| !v.is_undefined())
        .ok_or_else(|| share::NOT_INFLATED.to_string())?;
    if value.as_string().as_deref() == Some("too-large") {
        return Err(share::too_large());
    }
    Ok(js_sys::Uint8Array::new(&value).to_vec())
}

async fn deflate_raw(text: &str) -> Option<Vec<u8>> {
    bytes(deflate_raw_js(text.as_bytes())).await.ok()
}

/// Opens a share link once the browser has inflated it; when it cannot be
/// opened, says why and loads `fallback` (the example to start from).
pub fn open_link(
    fragment: share::Fragment,
    fallback: Option<&'static str>,
    dispatch: &yew::Callback<super::model::Msg>,
) {
    use super::model::Msg;
    let dispatch = dispatch.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match open_fragment(fragment).await {
            Ok(link) => dispatch.emit(Msg::OpenLink(link.scenario, link.cursor)),
            Err(e) => {
                dispatch.emit(Msg::Problem(Some(format!("error: {e}"))));
                if let Some(id) = fallback {
                    load_preset(id, false, &dispatch);
                }
            }
        }
    });
}

/// The link in the page's fragment, inflated by the browser.
async fn open_fragment(fragment: share::Fragment) -> Result<share::Link, String> {
    match fragment {
        share::Fragment::Plain(link) => Ok(link),
        share::Fragment::Deflated { deflated, cursor } => Ok(share::Link {
            scenario: inflate(&deflated).await?,
            cursor,
        }),
        share::Fragment::Levels(_) => Err("the link opens a workshop, not a scenario".into()),
    }
}

/// Text a link carries deflated, inflated by the browser (at most
/// `share::MAX_SCENARIO_BYTES`).
pub async fn inflate(deflated: &[u8]) -> Result<String, String> {
    let inflated = bytes(inflate_raw_js(deflated, share::MAX_SCENARIO_BYTES as u32)).await?;
    share::inflated_text(inflated)
}

/// A workshop link that opens a levels file (the level builder's), or
/// its length when it is longer than links may be.
pub async fn levels_link(levels: &str) -> Result<String, usize> {
    let deflated = deflate_raw(levels).await.unwrap_or_default();
    let link = format!("{}#{}", base_url(true), share::levels_fragment(&deflated));
    if link.len() > share::MAX_LINK_CHARS {
        Err(link.len())
    } else {
        Ok(link)
    }
}

/// `?levelsUrl=`: a levels file on this site (a trainer's own), resolved
/// against the page; another site's file is refused (a link must not make
/// the page fetch from elsewhere).
pub fn same_site(url: &str) -> Result<String, String> {
    let location = window().location();
    let resolved = web_sys::Url::new_with_base(url, &location.href().unwrap_or_default())
        .map_err(|_| format!("error: levelsUrl: \"{url}\" is not a URL"))?;
    if resolved.origin() != location.origin().unwrap_or_default() {
        return Err(format!(
            "error: levelsUrl: \"{url}\" is not on this site; a workshop's levels file must be served beside the playground"
        ));
    }
    Ok(resolved.href())
}

/// `jobsim::app::Mark` for the page: performance marks `<name>-start` and
/// `<name>-end`, and at the end the measure `name` between them (the
/// browser budget test reads `jobsim-engine`).
pub fn mark(name: &str, start: bool) {
    let Some(p) = window().performance() else {
        return;
    };
    let (start_mark, end_mark) = (format!("{name}-start"), format!("{name}-end"));
    if start {
        let _ = p.mark(&start_mark);
    } else {
        let _ = p.mark(&end_mark);
        p.clear_measures_with_measure_name(name);
        let _ = p.measure_with_start_mark_and_end_mark(name, &start_mark, &end_mark);
    }
}
