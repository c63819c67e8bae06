//! The browser playground. Trunk builds this binary for wasm32; the web-only
//! dependencies (yew, web-sys, gloo) exist only for that target.

#[cfg(target_arch = "wasm32")]
mod ui;

#[cfg(target_arch = "wasm32")]
fn main() {
    ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "The playground runs in a browser: `./dev serve` builds it with Trunk and serves it.\n\
         For the command line, use `jobsim --help`."
    );
    std::process::ExitCode::FAILURE
}
