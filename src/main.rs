//! The browser playground. Trunk builds this binary for wasm32; the web-only
//! dependencies (yew, web-sys, gloo) exist only for that target.

#[cfg(target_arch = "wasm32")]
mod ui;

// The page is single-threaded wasm: talc's wasm allocator is smaller than
// the default dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

#[cfg(target_arch = "wasm32")]
fn main() {
    ui::start();
}

/// Runs a scenario (SCENARIO.md v1) and returns its JSON report, exactly as
/// `jobsim run FILE --output json` prints it. Trunk exposes it to pages as
/// `window.wasmBindings.jobsim_run_json`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn jobsim_run_json(scenario: &str) -> Result<String, String> {
    jobsim::run::run_text(scenario)
        .map(|outcome| jobsim::view::report::to_json(&outcome))
        .map_err(|e| e.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "The playground runs in a browser: `./dev serve` builds it with Trunk and serves it.\n\
         For the command line, use `jobsim --help`."
    );
    std::process::ExitCode::FAILURE
}
