//! The browser playground. Trunk builds this binary for wasm32; the web-only
//! dependencies (yew, web-sys, gloo) exist only for that target.

#[cfg(target_arch = "wasm32")]
mod ui;
#[cfg(target_arch = "wasm32")]
mod web;

// The allocator is the default, dlmalloc: it grows the wasm memory as far
// as the limits let a run go (talc, 2 KB smaller, failed to grow past a
// few hundred MB and killed the page).

#[cfg(target_arch = "wasm32")]
fn main() {
    // A panic (a bug) aborts the wasm instance; before that, the page says
    // so and how to go on (`jobsimStopped` in www/stopped.js, which also catches
    // traps that are not panics, such as running out of memory).
    std::panic::set_hook(Box::new(|info| stopped(&info.to_string())));
    ui::start();
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = window, js_name = jobsimStopped)]
    fn stopped(why: &str);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "The playground runs in a browser: `./dev serve` builds it with Trunk and serves it.\n\
         For the command line, use `jobsim --help`."
    );
    std::process::ExitCode::FAILURE
}
