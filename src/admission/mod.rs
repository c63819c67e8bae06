//! What the API server does with a manifest before the controllers see it:
//! decoding, defaulting and validation, worded as kubectl prints it.

mod decode;
pub(crate) use decode::serde_problem;
mod defaults;
mod job;
mod patch;
mod validation;

pub use decode::{Diagnostic, parse_job};
pub use defaults::JobSummary;
pub use job::{AdmissionError, AdmittedJob, admit_job, set_defaults, update_job, validate};
pub use patch::merge_patch;
pub use validation::{ErrorKind, FieldError, Invalid};
