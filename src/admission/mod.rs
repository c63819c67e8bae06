//! What the API server does with a manifest before the controllers see it:
//! decoding, defaulting and validation, worded as kubectl prints it.

mod decode;
mod job;
mod locate;
mod patch;
pub mod quantity;
#[rustfmt::skip]
mod schema_table;
pub mod strict;
mod validation;

pub(crate) use decode::serde_problem;
pub use decode::{Diagnostic, ManifestError, check_manifest, parse_yaml};
pub use job::{AdmissionError, AdmittedJob, admit_job, set_defaults, update_job, validate};
pub use locate::locate;
pub use patch::merge_patch;
pub use validation::{ErrorKind, FieldError, Invalid};
