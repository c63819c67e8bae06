//! Admission of a CronJob: decode, default (`SetDefaults_CronJob` and the
//! pod template; the job template's JobSpec is not defaulted: the Jobs the
//! controller creates are), validate (`ValidateCronJobCreate`), warnings.

use super::job::{
    AdmissionError, check_kind, go_label_selector, job_spec, name_and_namespace, object_meta,
};
use super::tree::{bool_at, get, int_at, str_at};
use super::validation::{FieldError, Invalid};
use super::{defaults, warnings};
use crate::api::ConcurrencyPolicy;
use crate::sim::profile::Profile;
use crate::yaml::Value;

/// A CronJob the API server accepted and stored.
#[derive(Clone, Debug, PartialEq)]
pub struct AdmittedCronJob {
    /// The stored object (defaulted; no status).
    pub object: Value,
    pub name: String,
    pub namespace: String,
    pub uid: String,
    /// What kubectl prints as `Warning:` lines.
    pub warnings: Vec<String>,
    /// Fields dropped because their feature gate is off in the release.
    pub notes: Vec<String>,
}

/// Decodes, defaults and validates a CronJob manifest created with this
/// UID. `zone_exists` is `time.LoadLocation` succeeding for a name.
pub fn admit_cron_job(
    manifest: &Value,
    uid: &str,
    profile: &Profile,
    zone_exists: &dyn Fn(&str) -> bool,
) -> Result<AdmittedCronJob, AdmissionError> {
    check_kind(
        manifest,
        "CronJob",
        super::strict::cron_job(),
        true,
        profile,
    )?;
    let mut object = manifest.clone();
    let notes = super::versions::drop_disabled(&mut object, "CronJob", profile);
    defaults::cron_job(&mut object);
    let name = name_and_namespace(&mut object, uid);
    let mut errors = Vec::new();
    object_meta(&mut errors, &object);
    let spec = get(&object, "spec").unwrap_or(&Value::Null);
    cron_job_spec(&mut errors, spec, None, profile, zone_exists);
    // The controller appends an 11-character suffix to make Job names
    // (create only).
    if name.len() > 52 {
        errors.push(FieldError::invalid_str(
            "metadata.name",
            &name,
            "must be no more than 52 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(AdmissionError::Invalid(Invalid {
            kind: "CronJob",
            name,
            errors,
        }));
    }
    let mut out = Vec::new();
    warnings::name_warning(&mut out, &name);
    if let Some(job_spec) = get(spec, "jobTemplate").and_then(|t| get(t, "spec")) {
        warnings::job_spec(&mut out, job_spec, "spec.jobTemplate.spec");
    }
    let namespace = super::tree::str_at(&object["metadata"], "namespace")
        .unwrap_or("default")
        .to_string();
    Ok(AdmittedCronJob {
        object,
        name,
        namespace,
        uid: uid.to_string(),
        warnings: out,
        notes,
    })
}

/// A change of the CronJob by an action: a JSON merge patch of the stored
/// object, validated as `ValidateCronJobUpdate` (no name length rule).
pub fn update_cron_job(
    old: &Value,
    patch: &Value,
    profile: &Profile,
    zone_exists: &dyn Fn(&str) -> bool,
) -> Result<Value, AdmissionError> {
    let mut object = old.clone();
    super::patch::merge_patch(&mut object, patch);
    check_kind(
        &object,
        "CronJob",
        super::strict::cron_job(),
        false,
        profile,
    )?;
    defaults::cron_job(&mut object);
    let mut errors = Vec::new();
    object_meta(&mut errors, &object);
    let spec = get(&object, "spec").unwrap_or(&Value::Null);
    cron_job_spec(&mut errors, spec, get(old, "spec"), profile, zone_exists);
    if errors.is_empty() {
        Ok(object)
    } else {
        let name = get(old, "metadata")
            .and_then(|m| str_at(m, "name"))
            .unwrap_or("")
            .to_string();
        Err(AdmissionError::Invalid(Invalid {
            kind: "CronJob",
            name,
            errors,
        }))
    }
}

/// `validateCronJobSpec`; `old` is the spec before an update.
fn cron_job_spec(
    errs: &mut Vec<FieldError>,
    spec: &Value,
    old: Option<&Value>,
    profile: &Profile,
    zone_exists: &dyn Fn(&str) -> bool,
) {
    let schedule = str_at(spec, "schedule").unwrap_or("");
    let time_zone = get(spec, "timeZone").and_then(Value::as_str);
    if schedule.is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    } else {
        if let Err(e) = crate::cron::parse_standard(schedule, zone_exists) {
            errs.push(FieldError::invalid_str("spec.schedule", schedule, e));
        }
        // Before 1.27 a TZ prefix was allowed, only not with timeZone.
        let allow_tz = !profile.cron_tz_in_schedule_rejected
            || old
                .and_then(|o| str_at(o, "schedule"))
                .is_some_and(|s| s.contains("TZ"));
        if schedule.contains("TZ") {
            if !allow_tz {
                errs.push(FieldError::invalid_str(
                    "spec.schedule",
                    schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                ));
            } else if time_zone.is_some() {
                errs.push(FieldError::invalid_str(
                    "spec.schedule",
                    schedule,
                    "cannot use both timeZone field and TZ or CRON_TZ in schedule",
                ));
            }
        }
    }
    if let Some(v) = int_at(spec, "startingDeadlineSeconds").filter(|v| *v < 0) {
        errs.push(FieldError::invalid(
            "spec.startingDeadlineSeconds",
            v.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    let old_zone = old.and_then(|o| get(o, "timeZone")).and_then(Value::as_str);
    if old.is_none() || old_zone != time_zone {
        time_zone_errors(errs, time_zone, zone_exists);
    }
    match str_at(spec, "concurrencyPolicy").unwrap_or("") {
        "" => errs.push(FieldError::required("spec.concurrencyPolicy", "")),
        other if ConcurrencyPolicy::parse(other).is_none() => errs.push(FieldError::unsupported(
            "spec.concurrencyPolicy",
            other,
            &ConcurrencyPolicy::NAMES,
        )),
        _ => {}
    }
    // ValidateJobTemplateSpec.
    let template_spec = get(spec, "jobTemplate")
        .and_then(|t| get(t, "spec"))
        .unwrap_or(&Value::Null);
    job_spec(errs, template_spec, "spec.jobTemplate.spec", profile);
    if let Some(selector) = get(template_spec, "selector") {
        errs.push(FieldError::invalid(
            "spec.jobTemplate.spec.selector",
            go_label_selector(selector),
            "`selector` will be auto-generated",
        ));
    }
    if bool_at(template_spec, "manualSelector") == Some(true) {
        errs.push(FieldError::unsupported_value(
            "spec.jobTemplate.spec.manualSelector",
            "true".into(),
            &["nil", "false"],
        ));
    }
    for key in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        if let Some(v) = int_at(spec, key).filter(|v| *v < 0) {
            errs.push(FieldError::invalid(
                format!("spec.{key}"),
                v.to_string(),
                "must be greater than or equal to 0",
            ));
        }
    }
}

/// `validateTimeZone`.
fn time_zone_errors(
    errs: &mut Vec<FieldError>,
    zone: Option<&str>,
    zone_exists: &dyn Fn(&str) -> bool,
) {
    let Some(zone) = zone else { return };
    let path = "spec.timeZone";
    if zone.is_empty() {
        errs.push(FieldError::invalid_str(
            path,
            zone,
            "timeZone must be nil or non-empty string",
        ));
        return;
    }
    // https://data.iana.org/time-zones/theory.html#naming, with digits and
    // '+' tolerated for legacy names.
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 14
            && p != "."
            && p != ".."
            && !p.starts_with('-')
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
    };
    if !zone.split('/').all(part_ok) {
        errs.push(FieldError::invalid_str(
            path,
            zone,
            format!("unknown time zone {zone}"),
        ));
        return;
    }
    if zone.eq_ignore_ascii_case("local") {
        errs.push(FieldError::invalid_str(
            path,
            zone,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        ));
    }
    if zone != "Local" && !zone_exists(zone) {
        errs.push(FieldError::invalid_str(
            path,
            zone,
            format!("unknown time zone {zone}"),
        ));
    }
}
