//! The CronJob controller (pkg/controller/cronjob, the v2 controller), as
//! upstream structures it: watch handlers that enqueue the CronJob, a
//! delaying work queue, and `sync`, a reconciler that cleans up finished
//! Jobs beyond the history limits, reconciles `status.active` with the
//! Jobs it owns, and creates the Job of the most recent due schedule time
//! (only that one: missed times are never back-filled), then asks to be
//! woken 100 ms after the next schedule time.
//!
//! Times are Unix milliseconds (`i64`); schedule times are whole seconds.

use super::idmap::IdMap;
use super::queue::{CronJobKey, DelayingQueue};
use super::world::{CronJobId, CronJobStatus, JobId, Notice, World};
use super::{Ctx, Scheduler, SimError};
use crate::api::{ConcurrencyPolicy, CronJobSpec};
use crate::cron::Schedule;
use crate::sim::world::ConditionType;
use crate::time::{Clock, Ms};
use crate::tz::Tz;
use crate::yaml::{Mapping, Value};
use std::rc::Rc;

/// `nextScheduleDelta`.
const NEXT_SCHEDULE_DELTA_MS: i64 = 100;

/// The controller's work queue: when each CronJob's key is due; and each
/// CronJob's parsed schedule, kept while its schedule and time zone stay
/// the same (upstream parses it at every sync, to the same result).
#[derive(Clone, Default)]
pub struct CronJobController {
    queue: DelayingQueue<CronJobKey>,
    timings: IdMap<ParsedTiming>,
}

/// A schedule and time zone as written, and what they parse to.
type ParsedTiming = (String, Option<String>, Rc<Result<Timing, String>>);

/// How many schedule times were missed (`missedSchedulesType`), with the
/// approximate count older releases printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Missed {
    None,
    Few,
    Many(i64),
}

/// The schedule of a CronJob and the zone it runs in.
#[derive(Clone, Debug)]
struct Timing {
    schedule: Schedule,
    zone: Tz,
}

impl Timing {
    /// `sched.Next(t)`: the first schedule time strictly after `t` (ms).
    fn next(&self, t_ms: i64) -> Option<i64> {
        self.schedule
            .next(t_ms.div_euclid(1000), &self.zone)
            .map(|s| s * 1000)
    }
}

impl CronJobController {
    /// `queue.Add` (due now) or `AddAfter` (only ever moves a key earlier).
    fn add(&mut self, id: CronJobId, at: Ms, sched: &mut Scheduler) {
        self.queue.add_at(sched, id, at);
    }

    /// Whether the key is due at `at` (stale wake-ups are skipped).
    pub fn take_due(&mut self, id: CronJobId, at: Ms) -> bool {
        self.queue.take(id, at)
    }

    /// The controller starts (or restarts): every CronJob is synced.
    pub fn start(&mut self, world: &World, sched: &mut Scheduler) {
        for id in 0..world.cron_jobs().len() {
            if world.cron_jobs()[id].gone_at.is_none() {
                self.add(id, world.now(), sched);
            }
        }
    }

    /// The informers' event handlers.
    pub fn observe(&mut self, ctx: &mut Ctx<'_>, notice: Notice) -> Result<(), SimError> {
        let now = ctx.world.now();
        let owner = |job: JobId| ctx.world.jobs()[job].owner;
        match notice {
            Notice::CronJobAdded(id) => self.add(id, now, ctx.sched),
            Notice::CronJobUpdated {
                cron_job,
                schedule_changed: true,
            } => {
                // updateCronJob: a new schedule or time zone is woken for at
                // its next time.
                match self.timing(ctx.world, cron_job).as_ref() {
                    Ok(t) => {
                        let status = &ctx.world.cron_jobs()[cron_job].status;
                        let d = next_schedule_time_duration(ctx.world, cron_job, status, t);
                        self.add(cron_job, after(now, d), ctx.sched);
                    }
                    Err(_) => {
                        let c = &ctx.world.cron_jobs()[cron_job];
                        let message =
                            format!("unparseable schedule for cronjob: {}", c.spec.schedule);
                        record(
                            ctx.world,
                            cron_job,
                            true,
                            "UnParseableCronJobSchedule",
                            message,
                        )?;
                    }
                }
            }
            Notice::CronJobUpdated { cron_job, .. } => self.add(cron_job, now, ctx.sched),
            Notice::JobAdded(job) | Notice::JobUpdated { job, .. } | Notice::JobGone(job) => {
                if let Some(id) = owner(job) {
                    self.add(id, now, ctx.sched);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The CronJob's parsed schedule (from the cache while its schedule
    /// and time zone are unchanged).
    fn timing(&mut self, world: &World, id: CronJobId) -> Rc<Result<Timing, String>> {
        let spec = &world.cron_jobs()[id].spec;
        if let Some((schedule, zone, t)) = self.timings.get(id)
            && *schedule == spec.schedule
            && *zone == spec.time_zone
        {
            return t.clone();
        }
        let t = Rc::new(timing(spec));
        self.timings.insert(
            id,
            (spec.schedule.clone(), spec.time_zone.clone(), t.clone()),
        );
        t
    }

    /// `sync`: cleanup, then `syncCronJob` (the other way round before
    /// 1.29), one status write, and the requeue.
    pub fn sync(&mut self, ctx: &mut Ctx<'_>, id: CronJobId) -> Result<(), SimError> {
        let c = &ctx.world.cron_jobs()[id];
        if c.gone_at.is_some() {
            return Ok(());
        }
        let mut status = c.status.clone();
        let jobs: Vec<JobId> = c.live_jobs.clone();
        let timing = self.timing(ctx.world, id);
        let requeue = if ctx.profile.cron_cleanup_first {
            cleanup_finished_jobs(ctx, id, &jobs, &mut status)?;
            sync_cron_job(ctx, id, &jobs, &mut status, &timing)?
        } else {
            let requeue = sync_cron_job(ctx, id, &jobs, &mut status, &timing)?;
            cleanup_finished_jobs(ctx, id, &jobs, &mut status)?;
            requeue
        };
        ctx.world.update_cron_job_status(id, status);
        if let Some(d) = requeue {
            self.add(id, after(ctx.world.now(), d), ctx.sched);
        }
        Ok(())
    }
}

/// `now + d` for a positive delay `d` (ms).
fn after(now: Ms, d: i64) -> Ms {
    now.saturating_add(d.max(0) as Ms)
}

/// Records a `cronjob-controller` event on the CronJob.
fn record(
    world: &mut World,
    id: CronJobId,
    warning: bool,
    reason: &str,
    message: String,
) -> Result<(), SimError> {
    let key = world.cron_jobs()[id].key();
    world.record_event("cronjob-controller", key, warning, reason, message)
}

/// `now` as Unix milliseconds.
fn now_ms(world: &World) -> i64 {
    world.clock().unix_seconds(0) * 1000 + world.now() as i64
}

/// `formatSchedule` + `cron.ParseStandard`: the schedule in its zone (a
/// `TZ=` in the schedule wins over spec.timeZone; no zone is the
/// controller manager's, UTC here).
fn timing(spec: &CronJobSpec) -> Result<Timing, String> {
    let schedule = crate::cron::parse_standard(&spec.schedule, &crate::admission::zone_exists)?;
    let zone_name = if spec.schedule.contains("TZ") {
        schedule.location().map(str::to_string)
    } else {
        spec.time_zone.clone()
    };
    let zone = zone_name
        .and_then(|z| Tz::named(&z))
        .or_else(|| Tz::named("UTC"))
        .ok_or("no UTC zone")?;
    Ok(Timing { schedule, zone })
}

/// `mostRecentScheduleTime`: (earliest, the most recent due time, how
/// many were missed), or the error of a schedule that never repeats.
fn most_recent_schedule_time(
    world: &World,
    id: CronJobId,
    status: &CronJobStatus,
    t: &Timing,
    now: i64,
    include_deadline: bool,
) -> Result<(i64, Option<i64>, Missed), String> {
    let c = &world.cron_jobs()[id];
    // metav1.Time: whole seconds.
    let created = world.clock().unix_seconds(c.created_at) * 1000;
    let mut earliest = status.last_schedule_time.map_or(created, |s| s * 1000);
    if include_deadline && let Some(sds) = c.spec.starting_deadline_seconds {
        earliest = earliest.max(now - sds.saturating_mul(1000));
    }
    let Some(t1) = t.next(earliest) else {
        return Err("time difference between two schedules is less than 1 second".into());
    };
    if now < t1 {
        return Ok((earliest, None, Missed::None));
    }
    let Some(t2) = t.next(t1) else {
        return Err("time difference between two schedules is less than 1 second".into());
    };
    if now < t2 {
        return Ok((earliest, Some(t1), Missed::None));
    }
    let between = (t2 - t1 + 500) / 1000;
    if between < 1 {
        return Err("time difference between two schedules is less than 1 second".into());
    }
    let elapsed = (now - t1) / 1000;
    let n = elapsed / between + 1;
    let mut next = t.next(t1 + (n - 2) * between * 1000);
    let mut most_recent = None;
    while let Some(s) = next.filter(|&s| s <= now) {
        most_recent = Some(s);
        next = t.next(s);
    }
    let missed = if n > 100 {
        Missed::Many(n)
    } else {
        Missed::Few
    };
    Ok((earliest, most_recent, missed))
}

/// `nextScheduleTimeDuration`: how long until 100 ms after the next
/// schedule time (ms).
fn next_schedule_time_duration(
    world: &World,
    id: CronJobId,
    status: &CronJobStatus,
    t: &Timing,
) -> i64 {
    let now = now_ms(world);
    let base = match most_recent_schedule_time(world, id, status, t, now, false) {
        Err(_) => now,
        Ok((_, Some(recent), _)) => recent,
        Ok((earliest, None, Missed::None)) => earliest,
        Ok((_, None, _)) => now,
    };
    t.next(base)
        .map_or(i64::MAX / 4, |n| n + NEXT_SCHEDULE_DELTA_MS - now)
}

/// The Job's finished condition: Some(true) Complete, Some(false) Failed.
fn finished(world: &World, job: JobId) -> Option<bool> {
    world.jobs()[job]
        .status
        .finished_condition()
        .map(|c| c.type_ == ConditionType::Complete)
}

/// `syncCronJob`; returns the requeue delay (ms).
fn sync_cron_job(
    ctx: &mut Ctx<'_>,
    id: CronJobId,
    jobs: &[JobId],
    status: &mut CronJobStatus,
    timing: &Result<Timing, String>,
) -> Result<Option<i64>, SimError> {
    reconcile_jobs(ctx, id, jobs, status)?;
    let c = &ctx.world.cron_jobs()[id];
    if c.spec.suspend {
        return Ok(None);
    }
    if c.spec.schedule.contains("TZ") {
        let message = format!(
            "CRON_TZ or TZ used in schedule {:?} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
            c.spec.schedule
        );
        record(ctx.world, id, true, "UnsupportedSchedule", message)?;
    }
    let schedule_text = ctx.world.cron_jobs()[id].spec.schedule.clone();
    let t = match timing {
        Ok(t) => t,
        Err(e) => {
            let message = format!("unparseable schedule: {schedule_text:?} : {e}");
            record(ctx.world, id, true, "UnparseableSchedule", message)?;
            return Ok(None);
        }
    };
    let requeue = |world: &World, status: &CronJobStatus| {
        Some(next_schedule_time_duration(world, id, status, t))
    };
    let scheduled = match due_schedule_time(ctx, id, status, t, &schedule_text)? {
        Due::Invalid => return Ok(None),
        Due::Nothing => return Ok(requeue(ctx.world, status)),
        Due::At(scheduled) => scheduled,
    };
    // (A deadline cannot be missed here any more: `earliest` was clamped
    // to it, so upstream's MissSchedule branch never runs.)
    let scheduled_s = scheduled.div_euclid(1000);
    let c = &ctx.world.cron_jobs()[id];
    let job_name = format!("{}-{}", c.name, scheduled_s.div_euclid(60));
    let already = status
        .active
        .iter()
        .any(|&a| ctx.world.jobs()[a].name == job_name)
        || status.last_schedule_time == Some(scheduled_s);
    if already {
        return Ok(requeue(ctx.world, status));
    }
    match c.spec.concurrency_policy {
        ConcurrencyPolicy::Forbid if !status.active.is_empty() => {
            record(
                ctx.world,
                id,
                false,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
            )?;
            return Ok(requeue(ctx.world, status));
        }
        ConcurrencyPolicy::Replace => {
            for j in status.active.clone() {
                delete_job(ctx.world, id, j, status)?;
            }
        }
        _ => {}
    }
    let started = start_job(ctx, id, status, scheduled_s, &job_name)?;
    // Requeued from the new lastScheduleTime.
    Ok(if started {
        requeue(ctx.world, status)
    } else {
        None
    })
}

/// The CronJob's Jobs as the controller sees them: finished ones leave
/// `active` (`SawCompletedJob`, lastSuccessfulTime), unknown ones are
/// reported, active ones that are gone are dropped (`MissingJob`).
fn reconcile_jobs(
    ctx: &mut Ctx<'_>,
    id: CronJobId,
    jobs: &[JobId],
    status: &mut CronJobStatus,
) -> Result<(), SimError> {
    let profile = ctx.profile;
    for &j in jobs {
        let found = status.active.contains(&j);
        let name = ctx.world.jobs()[j].name.clone();
        match finished(ctx.world, j) {
            None if !found => record(
                ctx.world,
                id,
                true,
                "UnexpectedJob",
                format!("Saw a job that the controller did not create or forgot: {name}"),
            )?,
            None => {}
            Some(complete) => {
                let completion = ctx.world.jobs()[j].status.completion_time;
                if found {
                    status.active.retain(|&a| a != j);
                    let word = if profile.cron_saw_completed_condition {
                        "condition"
                    } else {
                        "status"
                    };
                    let cond = if complete { "Complete" } else { "Failed" };
                    record(
                        ctx.world,
                        id,
                        false,
                        "SawCompletedJob",
                        format!("Saw completed job: {name}, {word}: {cond}"),
                    )?;
                }
                // Before 1.31, lastSuccessfulTime came from a later sync.
                if complete
                    && (!found || profile.cron_last_successful_same_sync)
                    && let Some(done) = completion.map(|c| ctx.world.clock().unix_seconds(c))
                    && status.last_successful_time.is_none_or(|t| done > t)
                {
                    status.last_successful_time = Some(done);
                }
            }
        }
    }
    // Active Jobs that are gone.
    for j in status.active.clone() {
        if !jobs.contains(&j) {
            let name = ctx.world.jobs()[j].name.clone();
            status.active.retain(|&a| a != j);
            record(
                ctx.world,
                id,
                false,
                "MissingJob",
                format!("Active job went missing: {name}"),
            )?;
        }
    }
    Ok(())
}

/// What `nextScheduleTime` found.
enum Due {
    /// The schedule cannot be evaluated (an event says why).
    Invalid,
    /// No schedule time is due.
    Nothing,
    /// The most recent due time inside the deadline (ms).
    At(i64),
}

/// `nextScheduleTime`: the most recent due time inside the deadline, with
/// `TooManyMissedTimes` when many were missed.
fn due_schedule_time(
    ctx: &mut Ctx<'_>,
    id: CronJobId,
    status: &CronJobStatus,
    t: &Timing,
    schedule_text: &str,
) -> Result<Due, SimError> {
    let now = now_ms(ctx.world);
    let (recent, missed) = match most_recent_schedule_time(ctx.world, id, status, t, now, true) {
        Err(e) => {
            let message = format!("invalid schedule: {schedule_text} : {e}");
            record(ctx.world, id, true, "InvalidSchedule", message)?;
            return Ok(Due::Invalid);
        }
        Ok((_, recent, missed)) => (recent, missed),
    };
    if let (Some(_), Missed::Many(n)) = (recent, missed) {
        let count = if ctx.profile.cron_missed_count_in_message {
            format!(": {n}")
        } else {
            String::new()
        };
        let message = format!(
            "too many missed start times{count}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
        );
        record(ctx.world, id, true, "TooManyMissedTimes", message)?;
    }
    Ok(recent.map_or(Due::Nothing, Due::At))
}

/// The Job for schedule time `scheduled_s` (`getJobFromTemplate2`, then the
/// API server's admission); an existing Job of that name is adopted when
/// it is the CronJob's (1.29+). Whether a Job was started or adopted.
fn start_job(
    ctx: &mut Ctx<'_>,
    id: CronJobId,
    status: &mut CronJobStatus,
    scheduled_s: i64,
    job_name: &str,
) -> Result<bool, SimError> {
    let c = &ctx.world.cron_jobs()[id];
    let mut annotations = Mapping::new();
    if ctx.profile.cron_scheduled_annotation {
        let zone = c
            .spec
            .time_zone
            .as_deref()
            .and_then(Tz::named)
            .unwrap_or_else(|| Tz::named("UTC").expect("UTC is a zone"));
        annotations.insert(
            "batch.kubernetes.io/cronjob-scheduled-timestamp".into(),
            crate::time::rfc3339_offset(scheduled_s, zone.offset_at(scheduled_s)).into(),
        );
    }
    let manifest = job_from_template(c, job_name, annotations);
    if let Some(existing) = ctx.world.job_named(job_name) {
        // AlreadyExists: adopted into active when it is ours (1.29+).
        if ctx.world.jobs()[existing].owner != Some(id) || status.active.contains(&existing) {
            return Ok(false);
        }
        status.active.push(existing);
        status.last_schedule_time = Some(scheduled_s);
        return Ok(true);
    }
    let uid = ctx.world.new_uid();
    match crate::admission::admit_job(&manifest, &uid, ctx.profile) {
        Err(e) => {
            let err = match &e {
                crate::admission::AdmissionError::Invalid(i) => i.api_message(),
                other => other.to_string(),
            };
            let message = format!("Error creating job: {err}");
            record(ctx.world, id, true, "FailedCreate", message)?;
            Ok(false)
        }
        Ok(admitted) => {
            ctx.world.job_limit(id)?;
            let job = ctx.world.add_job(admitted, Some(id));
            let message = format!("Created job {job_name}");
            record(ctx.world, id, false, "SuccessfulCreate", message)?;
            status.active.push(job);
            status.last_schedule_time = Some(scheduled_s);
            Ok(true)
        }
    }
}

/// The Job manifest for a schedule time (`getJobFromTemplate2`): the job
/// template's metadata and spec, the name, and a controller reference.
fn job_from_template(c: &super::world::CronJobObject, name: &str, extra: Mapping) -> Value {
    let template = &c.spec.job_template;
    let meta = template.get("metadata").cloned().unwrap_or(Value::Null);
    let mut metadata = Mapping::new();
    metadata.insert("name".into(), name.into());
    metadata.insert("namespace".into(), c.namespace.clone().into());
    for key in ["labels", "annotations"] {
        if let Some(v) = meta.get(key).filter(|v| !v.is_null()) {
            metadata.insert(key.into(), v.clone());
        }
    }
    if !extra.is_empty() {
        let annotations = metadata
            .entry("annotations".into())
            .or_insert(Value::Mapping(Mapping::new()));
        if let Value::Mapping(a) = annotations {
            a.extend(extra);
        }
    }
    let owner: Value = crate::yaml::parse(&format!(
        "[{{apiVersion: batch/v1, kind: CronJob, name: {:?}, uid: {:?}, controller: true, blockOwnerDeletion: true}}]",
        c.name, c.uid
    ))
    .expect("valid YAML");
    metadata.insert("ownerReferences".into(), owner);
    let mut job = Mapping::new();
    job.insert("apiVersion".into(), "batch/v1".into());
    job.insert("kind".into(), "Job".into());
    job.insert("metadata".into(), Value::Mapping(metadata));
    job.insert(
        "spec".into(),
        template.get("spec").cloned().unwrap_or(Value::Null),
    );
    Value::Mapping(job)
}

/// `deleteJob`: a background delete, out of `active`, SuccessfulDelete.
fn delete_job(
    world: &mut World,
    id: CronJobId,
    job: JobId,
    status: &mut CronJobStatus,
) -> Result<(), SimError> {
    let name = world.jobs()[job].name.clone();
    world.delete_job(job, false);
    status.active.retain(|&a| a != job);
    record(
        world,
        id,
        false,
        "SuccessfulDelete",
        format!("Deleted job {name}"),
    )
}

/// `cleanupFinishedJobs`: the oldest finished Jobs beyond the history
/// limits, by start time (none last), then name.
fn cleanup_finished_jobs(
    ctx: &mut Ctx<'_>,
    id: CronJobId,
    jobs: &[JobId],
    status: &mut CronJobStatus,
) -> Result<(), SimError> {
    let spec = &ctx.world.cron_jobs()[id].spec;
    let limits = [
        (true, spec.successful_jobs_history_limit),
        (false, spec.failed_jobs_history_limit),
    ];
    for (complete, limit) in limits {
        let Some(limit) = limit else { continue };
        let mut finished_jobs: Vec<JobId> = jobs
            .iter()
            .copied()
            .filter(|&j| {
                ctx.world.jobs()[j].gone_at.is_none() && finished(ctx.world, j) == Some(complete)
            })
            .collect();
        let excess = finished_jobs.len() as i64 - limit;
        if excess <= 0 {
            continue;
        }
        crate::sort::sort_by(&mut finished_jobs, |&a, &b| {
            let (ja, jb) = (&ctx.world.jobs()[a], &ctx.world.jobs()[b]);
            let start = |s: Option<Ms>| (s.is_none(), s);
            start(ja.status.start_time)
                .cmp(&start(jb.status.start_time))
                .then_with(|| ja.name.cmp(&jb.name))
        });
        for &j in finished_jobs.iter().take(excess as usize) {
            delete_job(ctx.world, id, j, status)?;
        }
    }
    Ok(())
}

/// `kubectl create job <name> --from=cronjob/<cronjob>`: the job template
/// with the `cronjob.kubernetes.io/instantiate: manual` annotation and a
/// controller reference (the CronJob then reports it as unexpected).
pub fn manual_job(world: &World, id: CronJobId, name: &str) -> Value {
    let c = &world.cron_jobs()[id];
    let mut annotations = Mapping::new();
    annotations.insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
    // The template's annotations win on a clash.
    let mut manifest = job_from_template(c, name, Mapping::new());
    let meta = &mut manifest["metadata"];
    if let Some(Value::Mapping(a)) = meta.get("annotations") {
        annotations.extend(a.clone());
    }
    meta["annotations"] = Value::Mapping(annotations);
    if let Some(Value::Sequence(refs)) = meta.get_mut("ownerReferences")
        && let Some(Value::Mapping(r)) = refs.first_mut()
    {
        r.remove("blockOwnerDeletion");
    }
    manifest
}

/// The next `n` schedule times after `from` (Unix seconds), for the UI.
pub fn upcoming(spec: &CronJobSpec, clock: Clock, from_ms: Ms, n: usize) -> Vec<i64> {
    let Ok(t) = timing(spec) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = clock.unix_seconds(0) * 1000 + from_ms as i64;
    while out.len() < n {
        let Some(next) = t.next(at) else { break };
        out.push(next / 1000);
        at = next;
    }
    out
}
