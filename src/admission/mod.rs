//! What the API server does with a manifest before the controllers see it:
//! decoding, defaulting and (in time) validation, worded as kubectl prints it.

mod decode;
mod defaults;

pub use decode::{Diagnostic, parse_job};
pub use defaults::JobSummary;
