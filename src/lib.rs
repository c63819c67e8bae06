//! jobsim: a deterministic simulation of the Kubernetes batch/v1 Job and
//! CronJob controllers and of the kubelet behaviour they depend on.
//!
//! Everything in this library is plain Rust with no web dependencies: it is
//! shared by the `jobsim` command-line tool and by the browser playground
//! (`src/main.rs`, built for wasm32 by Trunk). See ARCHITECTURE.md.

pub mod admission;
pub mod api;
pub mod app;
pub mod assist;
pub mod cron;
pub mod doctest;
pub mod json;
pub mod levels;
pub mod limits;
pub mod presets;
pub mod run;
pub mod scenario;
pub mod schema;
pub mod sim;
pub mod sort;
pub mod tables;
pub mod time;
pub mod trace;
pub mod tz;
pub mod view;
pub mod yaml;
