//! `cargo run -p xtask -- precompress DIR`: writes `FILE.gz` beside every
//! text and wasm file of the built site, compressed by Zopfli (gzip, about
//! 5 % smaller than zlib's best level), for hosts that send precompressed
//! files (nginx `gzip_static`, Caddy `precompressed gzip`, `serve -g`). A
//! browser asks for gzip; the host answers with the `.gz` as it is, so the
//! page costs the user these bytes. `./dev build` runs it after Trunk.

use std::path::{Path, PathBuf};

/// The kinds of files the site serves as text or wasm.
const EXTENSIONS: [&str; 8] = ["wasm", "js", "css", "html", "svg", "txt", "yaml", "json"];

pub fn main(args: &[String]) {
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo run -p xtask -- precompress DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(Path::new(dir), &mut files);
    files.sort();
    let (mut raw, mut packed) = (0, 0);
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut out = Vec::new();
        zopfli::compress(
            zopfli::Options::default(),
            zopfli::Format::Gzip,
            &data[..],
            &mut out,
        )
        .expect("compressing into memory cannot fail");
        let mut gz = file.clone().into_os_string();
        gz.push(".gz");
        std::fs::write(&gz, &out).unwrap_or_else(|e| panic!("{gz:?}: {e}"));
        raw += data.len();
        packed += out.len();
    }
    println!(
        "precompressed {} files in {dir}: {raw} bytes, {packed} gzipped (Zopfli)",
        files.len()
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(path);
        }
    }
}
