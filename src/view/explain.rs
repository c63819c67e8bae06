//! Why things happened, in words (English and Japanese): the text of the
//! playground's Explain panel, made from the decisions in the trace. API
//! field names and states stay untranslated, as in the Kubernetes docs.

use crate::api::ConditionType;
use crate::scenario::duration::format as dur;
use crate::sim::job::backoff::Backoff;
use crate::sim::world::{PodId, RestartPolicy};
use crate::trace::Trace;
use crate::trace::{ConditionDetail, Decision, FailCause, KillCause, Replacement, WaitReason, Why};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    Ja,
}

impl Locale {
    /// `ja` for Japanese (also `ja-JP` ...), English otherwise.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("ja") {
            Locale::Ja
        } else {
            Locale::En
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ja => "ja",
        }
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "10s · 2²": how the pod-failure backoff delay was computed.
fn backoff_formula(b: &Backoff, locale: Locale) -> String {
    let power = match b.failures.saturating_sub(1) {
        0 => String::new(),
        1 => " · 2".into(),
        e => format!(" · 2{}", superscript(e)),
    };
    let capped = match (b.capped, locale) {
        (false, _) => String::new(),
        (true, Locale::En) => format!(", capped at {}", dur(b.cap)),
        (true, Locale::Ja) => format!("、上限 {}", dur(b.cap)),
    };
    format!("{}{power}{capped}", dur(b.base))
}

/// The backoff in a sentence: which failure in a row, the delay and its
/// formula, counted from when, until when.
fn backoff_text(b: &Backoff, locale: Locale) -> String {
    // The formula says something from the second failure on, or capped.
    let formula = (b.failures > 1 || b.capped).then(|| backoff_formula(b, locale));
    match locale {
        Locale::En => format!(
            "the {} failure in a row waits {}{} from the failure at {}, until {}",
            ordinal(b.failures),
            dur(b.delay),
            formula.map(|f| format!(" ({f})")).unwrap_or_default(),
            dur(b.from),
            dur(b.until())
        ),
        Locale::Ja => format!(
            "最後の成功以降 {} 回目の失敗なので、{} の失敗から {}{}、{} まで待ちます",
            b.failures,
            dur(b.from),
            dur(b.delay),
            formula.map(|f| format!("（{f}）")).unwrap_or_default(),
            dur(b.until())
        ),
    }
}

/// The short label of a replacement's gap on the timeline.
pub fn gap_label(r: &Replacement, locale: Locale) -> String {
    let ja = locale == Locale::Ja;
    let backoff = if ja { "バックオフ" } else { "backoff" };
    let delay = r.backoff.map(|b| dur(b.delay)).unwrap_or_default();
    match (r.reason, ja) {
        (WaitReason::Backoff, _) => format!("{backoff} {delay}").trim_end().to_string(),
        (WaitReason::ResetBySuccess { .. }, false) => "backoff reset by a success".into(),
        (WaitReason::ResetBySuccess { .. }, true) => "成功でバックオフがリセット".into(),
        (WaitReason::ControllerRestart { .. }, false) => {
            "backoff forgotten: controller restarted".into()
        }
        (WaitReason::ControllerRestart { .. }, true) => "再起動でバックオフを忘却".into(),
        (WaitReason::ControllerDown { .. }, false) => "controllers down".into(),
        (WaitReason::ControllerDown { .. }, true) => "コントローラー停止中".into(),
        (WaitReason::Suspended, false) => "suspended".into(),
        (WaitReason::Suspended, true) => "一時停止中".into(),
        (WaitReason::WaitingForTerminating, false) => "waiting for terminating pods".into(),
        (WaitReason::WaitingForTerminating, true) => "終了中の Pod を待機".into(),
        (WaitReason::WaitingForSlot, false) => "waiting for a free slot".into(),
        (WaitReason::WaitingForSlot, true) => "空きを待機".into(),
    }
}

/// Why a replacement came when it did (the Explain text of a gap).
pub fn replacement(trace: &Trace, r: &Replacement, locale: Locale) -> String {
    let ja = locale == Locale::Ja;
    let failed = &trace.pods[r.failed].name;
    let wait = dur(r.created - r.since);
    let head = match (r.pod, ja) {
        (Some(p), false) => format!(
            "{} replaced {failed} after {wait}: from the failure at {} (as the Job controller counts it) to its creation at {}. ",
            trace.pods[p].name,
            dur(r.since),
            dur(r.created)
        ),
        (Some(p), true) => format!(
            "{} が {failed} を置き換えるまで {wait}: Job コントローラーが数えた失敗 {} から作成 {} まで。",
            trace.pods[p].name,
            dur(r.since),
            dur(r.created)
        ),
        (None, false) => format!(
            "{failed} failed at {} and was still not replaced when the run ended at {}. ",
            dur(r.since),
            dur(r.created)
        ),
        (None, true) => format!(
            "{failed} は {} に失敗し、実行の終わり {} までまだ置き換えられていません。",
            dur(r.since),
            dur(r.created)
        ),
    };
    let backoff = r.backoff.map(|b| backoff_text(&b, locale));
    let body = match (r.reason, ja) {
        (WaitReason::Backoff, false) => match backoff {
            Some(b) => format!("The pod-failure backoff: {b}."),
            None => "No backoff applied.".into(),
        },
        (WaitReason::Backoff, true) => match backoff {
            Some(b) => format!("Pod の失敗によるバックオフ: {b}。"),
            None => "バックオフはありませんでした。".into(),
        },
        (WaitReason::ResetBySuccess { at }, false) => {
            let at = at.map(|a| format!(" at {}", dur(a))).unwrap_or_default();
            let cut = backoff.map(|b| format!(" ({b})")).unwrap_or_default();
            format!(
                "Sooner than the backoff{cut}: a pod succeeded{at}, and a success resets the backoff, because failures in a row count from the last success."
            )
        }
        (WaitReason::ResetBySuccess { at }, true) => {
            let at = at.map(|a| format!("{} に ", dur(a))).unwrap_or_default();
            let cut = backoff.map(|b| format!("（{b}）")).unwrap_or_default();
            format!(
                "バックオフより早く作成されました{cut}。{at}Pod が成功し、成功はバックオフをリセットします（連続した失敗は最後の成功から数えます）。"
            )
        }
        (WaitReason::ControllerRestart { at, forgotten }, false) => format!(
            "Sooner than the backoff ({}): the controller restarted at {} and lost its in-memory backoff record, so it counted only the failures it had not yet counted.",
            backoff_text(&forgotten, locale),
            dur(at)
        ),
        (WaitReason::ControllerRestart { at, forgotten }, true) => format!(
            "バックオフ（{}）より早く作成されました。{} にコントローラーが再起動してメモリー上のバックオフの記録を失い、まだ数えていない失敗だけを数えました。",
            backoff_text(&forgotten, locale),
            dur(at)
        ),
        // Late: the cause, then the backoff that was served before it.
        (late, ja) => {
            let cause = match (late, ja) {
                (WaitReason::ControllerDown { down, up }, false) => format!(
                    "Later than the backoff: the controllers were down from {} to {}; nothing creates pods meanwhile.",
                    dur(down),
                    dur(up)
                ),
                (WaitReason::ControllerDown { down, up }, true) => format!(
                    "バックオフより遅れました。{} から {} までコントローラーが停止しており、その間は Pod が作成されません。",
                    dur(down),
                    dur(up)
                ),
                (WaitReason::Suspended, false) => "The Job was suspended: no pods are created while spec.suspend is true, and the replacement came when it was resumed.".into(),
                (WaitReason::Suspended, true) => "Job が一時停止（spec.suspend が true）していたため Pod は作成されず、再開したときに置き換えられました。".into(),
                (WaitReason::WaitingForTerminating, false) => "podReplacementPolicy: Failed: a replacement is created only once the terminating pods have terminated.".into(),
                (WaitReason::WaitingForTerminating, true) => "podReplacementPolicy: Failed では、終了中の Pod が終了してから置き換えを作成します。".into(),
                (_, false) => "The index waited for a free slot: the Job already ran as many pods as its parallelism allows.".into(),
                (_, true) => "このインデックスは空きを待ちました: Job は parallelism の数だけ Pod を実行していました。".into(),
            };
            let served = backoff.map(|b| match ja {
                false => format!(" (The backoff: {b}.)"),
                true => format!("（バックオフ: {b}。）"),
            });
            cause + &served.unwrap_or_default()
        }
    };
    head + &body
}

fn superscript(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| {
            ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][c.to_digit(10).unwrap_or(0) as usize]
        })
        .collect()
}

fn pod_names(trace: &Trace, pods: &[PodId]) -> String {
    pods.iter()
        .map(|&p| trace.pods[p].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The explanation of one decision.
pub fn explain(trace: &Trace, d: &Decision, locale: Locale) -> String {
    let ja = locale == Locale::Ja;
    match &d.why {
        Why::Created {
            want_active,
            active,
            terminating,
            terminating_blocks,
            parallelism,
            completions,
            succeeded,
            batches,
        } => {
            let want = match completions {
                Some(c) => format!("min(completions {c} − succeeded {succeeded}, parallelism {parallelism}) = {want_active}"),
                None if *succeeded > 0 => format!("active {want_active} (a work queue starts no pod after a success)"),
                None => format!("parallelism {parallelism}"),
            };
            let minus_terminating = if *terminating_blocks && *terminating > 0 {
                format!(" − terminating {terminating}")
            } else {
                String::new()
            };
            let n = d.pods.len();
            let batches = batches.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", ");
            if ja {
                format!(
                    "Job コントローラーが {} 個の Pod を作成: 望ましい active 数は {want}。active {active}{minus_terminating} との差 {n} 個を作成しました（slow start のバッチ: {batches}）。",
                    n
                )
            } else {
                format!(
                    "Created {n} pod{}: the Job controller wants {want} active; {want_active} − active {active}{minus_terminating} = {n} (slow-start batches {batches}).",
                    if n == 1 { "" } else { "s" }
                )
            }
        }
        Why::BackoffWait { index, backoff } => {
            let text = backoff_text(backoff, locale);
            match (index, ja) {
                (None, false) => format!("Replacements wait {}: {text}.", dur(backoff.delay)),
                (None, true) => format!("置き換えの Pod はバックオフ {} を待ちます: {text}。", dur(backoff.delay)),
                (Some(i), false) => format!("Index {i} waits {} (backoffLimitPerIndex): {text}.", dur(backoff.delay)),
                (Some(i), true) => format!("インデックス {i} はバックオフ {} を待ちます（backoffLimitPerIndex）: {text}。", dur(backoff.delay)),
            }
        }
        Why::ScaledDown { active, want_active } => {
            if ja {
                format!("スケールダウンで削除: active {active} に対して望ましい数は {want_active}。削除された Pod は failed に数えません。")
            } else {
                format!("Deleted to scale down: {active} active, {want_active} wanted ({}). Not counted as failed.", pod_names(trace, &d.pods))
            }
        }
        Why::SuspendDeleted => {
            if ja {
                "Job が suspend されたため削除。failed には数えず、バックオフも増えません。".into()
            } else {
                format!("Deleted because the Job is suspended ({}): not counted as failed, no backoff.", pod_names(trace, &d.pods))
            }
        }
        Why::FinishDeleted { condition, reason } => {
            let counted = *condition != ConditionType::SuccessCriteriaMet;
            if ja {
                format!(
                    "Job が終了に向かうため削除（{condition}: {reason}）。{}",
                    if counted { "終了していない Pod は failed に数えます。" } else { "failed には数えません。" }
                )
            } else {
                format!(
                    "Deleted because the Job is finishing ({condition}: {reason}); {}.",
                    if counted { "every unfinished pod counts as failed" } else { "not counted as failed" }
                )
            }
        }
        Why::CountedFailed { cause } => match (cause, ja) {
            (FailCause::PhaseFailed, false) => "Counted in status.failed: the pod failed.".into(),
            (FailCause::PhaseFailed, true) => "status.failed に加算: Pod が Failed になりました。".into(),
            (FailCause::Terminating, false) => "Counted in status.failed as soon as it was deleted: with podReplacementPolicy TerminatingOrFailed a terminating pod counts as failed and is replaced.".into(),
            (FailCause::Terminating, true) => "削除された時点で status.failed に加算: podReplacementPolicy TerminatingOrFailed では終了中の Pod は失敗として数えられ、置き換えられます。".into(),
            (FailCause::JobFailing, false) => "Counted in status.failed: when a Job fails, every pod that has not finished counts as failed.".into(),
            (FailCause::JobFailing, true) => "status.failed に加算: Job が失敗するとき、終わっていない Pod はすべて失敗として数えます。".into(),
        },
        Why::IgnoredFailure { rule } => {
            if ja {
                format!("failed に数えません: podFailurePolicy のルール {rule}（Ignore）に一致しました。バックオフの遅延には数えます。")
            } else {
                format!("Not counted as failed: podFailurePolicy rule {rule} (Ignore) matched. It still counts for the backoff delay.")
            }
        }
        Why::CountedSucceeded => {
            if ja { "status.succeeded に加算されました。".into() } else { "Counted in status.succeeded.".into() }
        }
        Why::Condition { type_, reason, detail } => condition_text(trace, *type_, reason, detail, locale),
        Why::Restarted {
            container,
            exit_code,
            delay,
            restart_count,
            rule,
        } => {
            let matched = match (rule, ja) {
                (Some(n), false) => format!(", which matched restartPolicyRules[{n}] (Restart)"),
                (Some(n), true) => format!("（restartPolicyRules[{n}]（Restart）に一致）"),
                (None, _) => String::new(),
            };
            // With restartPolicy Never the pod does not fail, so the Job
            // has nothing to count or replace; with OnFailure every
            // restart counts toward backoffLimit.
            let pod_never = d.pods.first().is_some_and(|&p| trace.pods[p].template.restart_policy == RestartPolicy::Never);
            if ja {
                let when = if *delay == 0 { "すぐに".to_string() } else { format!("{} 後に", dur(*delay)) };
                let job = if pod_never { "Pod は失敗しないので、Job は代わりの Pod を作らず、backoffLimit にも数えません。" } else { "" };
                format!("コンテナ {container} が終了コード {exit_code} で終了し{matched}、kubelet が同じ Pod の中で{when}再起動しました（{restart_count} 回目。CrashLoopBackOff: 初回は即時、その後 10s から倍々で最大 300s）。{job}")
            } else {
                let when = if *delay == 0 { "at once (the first restart is immediate)".to_string() } else { format!("after {} of CrashLoopBackOff (10s doubling up to 300s)", dur(*delay)) };
                let job = if pod_never { " The pod does not fail, so the Job creates no replacement and counts nothing toward backoffLimit." } else { "" };
                format!("Container {container} exited with {exit_code}{matched}; the kubelet restarted it in place {when}. Restart #{restart_count}.{job}")
            }
        }
        Why::StatusRejected { condition } => {
            if ja {
                format!("API サーバーが {condition} 条件を付ける status の更新を拒否しました: status.startTime: Required value: startTime is required for finished job。1.36 からは一時停止で startTime が消えるので、一時停止中の Job は終われません。Job コントローラーは 1s から倍々で最大 60s の間隔で再試行し、再開されて startTime が付くと Job が終わります。")
            } else {
                format!("The API server rejected the status update that adds {condition}: status.startTime: Required value: startTime is required for finished job. From 1.36 suspending a Job clears its startTime, so a suspended Job cannot finish; the Job controller retries (1s doubling up to 60s), and the Job finishes once it is resumed and gets a startTime.")
            }
        }
        Why::RestartingAll { container, exit_code, rule } => {
            if ja {
                format!("コンテナ {container} の終了コード {exit_code} が restartPolicyRules[{rule}]（RestartAllContainers）に一致しました。kubelet は Pod のすべてのコンテナを（通常のコンテナ、次に init コンテナとサイドカーの順に、猶予 0 で preStop なし、各 2s 以内に）止めて削除し、最初の init コンテナからやり直します。同じ Pod（UID も同じ）のままで、各コンテナの restartCount が 1 増えます。")
            } else {
                format!("Exit {exit_code} of container {container} matched restartPolicyRules[{rule}] (RestartAllContainers): the kubelet stops every container of the pod (regular ones first, then init containers and sidecars; grace period 0, so no preStop hook and at most 2s each), removes them, and runs them again from the first init container. Same pod, same UID; each container's restartCount goes up by one.")
            }
        }
        Why::Killed {
            container,
            sigkill,
            grace_seconds,
            cause,
        } => {
            let why = match (cause, ja) {
                (KillCause::PodDeleted, false) => "the pod was deleted",
                (KillCause::PodDeleted, true) => "Pod が削除されたため",
                (KillCause::SidecarsAfterMain, false) => "the main containers finished, so the sidecars are stopped (in reverse order)",
                (KillCause::SidecarsAfterMain, true) => "メインのコンテナが終わったため、サイドカーを逆順に停止します",
                (KillCause::PodDeadline, false) => "the pod's activeDeadlineSeconds passed",
                (KillCause::PodDeadline, true) => "Pod の activeDeadlineSeconds を過ぎたため",
                (KillCause::RestartAllContainers, false) => "a RestartAllContainers rule matched, so every container is stopped (grace period 0: the 2s minimum)",
                (KillCause::RestartAllContainers, true) => "RestartAllContainers ルールに一致したため、すべてのコンテナを止めます（猶予 0: 最低 2s）",
            };
            match (ja, sigkill) {
                (false, false) => format!("SIGTERM to container {container}: {why}. It has {grace_seconds}s (terminationGracePeriodSeconds) before SIGKILL."),
                (false, true) => format!("SIGTERM to container {container}: {why}. It did not exit within {grace_seconds}s, so SIGKILL ends it (exit code 137)."),
                (true, false) => format!("コンテナ {container} に SIGTERM: {why}。SIGKILL まで {grace_seconds}s の猶予があります。"),
                (true, true) => format!("コンテナ {container} に SIGTERM: {why}。{grace_seconds}s 以内に終わらなかったので SIGKILL で終了（終了コード 137）。"),
            }
        }
    }
}

/// Why a Job condition was set.
pub fn condition_text(
    trace: &Trace,
    type_: ConditionType,
    reason: &str,
    detail: &ConditionDetail,
    locale: Locale,
) -> String {
    let ja = locale == Locale::Ja;
    let head = format!("{type_} ({reason}): ");
    let body = match (detail, ja) {
        (ConditionDetail::BackoffLimit { failed, backoff_limit }, false) => format!("{failed} failed pods > backoffLimit {backoff_limit}."),
        (ConditionDetail::BackoffLimit { failed, backoff_limit }, true) => format!("失敗した Pod {failed} 個 > backoffLimit {backoff_limit}。"),
        (ConditionDetail::OnFailureRestarts { restarts, backoff_limit }, false) => {
            format!("restartPolicy OnFailure: {restarts} container restarts ≥ backoffLimit {backoff_limit}.")
        }
        (ConditionDetail::OnFailureRestarts { restarts, backoff_limit }, true) => {
            format!("restartPolicy OnFailure: コンテナの再起動 {restarts} 回 ≥ backoffLimit {backoff_limit}。")
        }
        (ConditionDetail::Deadline { start_time, active_deadline_seconds }, false) => format!(
            "active since startTime {} for {active_deadline_seconds}s = activeDeadlineSeconds. Deadlines win over pod creation, but lose to backoffLimit in the same sync.",
            dur(*start_time)
        ),
        (ConditionDetail::Deadline { start_time, active_deadline_seconds }, true) => {
            format!("startTime {} から activeDeadlineSeconds {active_deadline_seconds}s が経過しました。", dur(*start_time))
        }
        (ConditionDetail::PodFailurePolicy { rule, pod }, false) => {
            format!("podFailurePolicy rule {rule} (FailJob) matched pod {}.", trace.pods[*pod].name)
        }
        (ConditionDetail::PodFailurePolicy { rule, pod }, true) => {
            format!("Pod {} が podFailurePolicy のルール {rule}（FailJob）に一致しました。", trace.pods[*pod].name)
        }
        (ConditionDetail::MaxFailedIndexes { failed_indexes, max_failed_indexes }, false) => {
            format!("{failed_indexes} failed indexes > maxFailedIndexes {max_failed_indexes}.")
        }
        (ConditionDetail::MaxFailedIndexes { failed_indexes, max_failed_indexes }, true) => {
            format!("失敗したインデックス {failed_indexes} 個 > maxFailedIndexes {max_failed_indexes}。")
        }
        (ConditionDetail::FailedIndexes { failed_indexes, succeeded_indexes, completions }, false) => {
            format!("every index is done ({succeeded_indexes} succeeded + {failed_indexes} failed = completions {completions}) and some failed.")
        }
        (ConditionDetail::FailedIndexes { failed_indexes, succeeded_indexes, completions }, true) => {
            format!("すべてのインデックスが終わり（成功 {succeeded_indexes} + 失敗 {failed_indexes} = completions {completions}）、失敗したものがあります。")
        }
        (ConditionDetail::SuccessPolicy { rule }, false) => format!("successPolicy rule {rule} is met; the other pods are stopped without counting as failed."),
        (ConditionDetail::SuccessPolicy { rule }, true) => format!("successPolicy のルール {rule} を満たしました。残りの Pod は失敗に数えずに停止します。"),
        (ConditionDetail::Completions { succeeded, completions }, false) => match completions {
            Some(c) => format!("succeeded {succeeded} ≥ completions {c} and no pod is active."),
            None => format!("a work queue: {succeeded} succeeded and no pod is active."),
        },
        (ConditionDetail::Completions { succeeded, completions }, true) => match completions {
            Some(c) => format!("succeeded {succeeded} ≥ completions {c} で、active な Pod はありません。"),
            None => format!("ワークキュー: {succeeded} 個成功し、active な Pod はありません。"),
        },
        (ConditionDetail::Final { interim }, false) => {
            format!("follows {interim} once no pod is left terminating (the Job controller waits for the pods it deleted).")
        }
        (ConditionDetail::Final { interim }, true) => format!("終了中の Pod がなくなったので {interim} に続いて設定されました。"),
        (ConditionDetail::Suspended, false) => {
            let clock = if trace.profile.mutable_suspended_jobs {
                " status.startTime is cleared: activeDeadlineSeconds will count from the resume."
            } else {
                " status.startTime stays (before 1.36): a resume later than startTime + activeDeadlineSeconds fails the Job at once; an earlier one restarts the clock."
            };
            format!("spec.suspend is true: active pods are deleted and none are created.{clock}")
        }
        (ConditionDetail::Suspended, true) => {
            let clock = if trace.profile.mutable_suspended_jobs {
                "status.startTime をクリアします: activeDeadlineSeconds は再開から数えます。"
            } else {
                "status.startTime は残ります（1.36 より前）: startTime + activeDeadlineSeconds より後に再開すると Job はすぐに失敗し、それより前なら時計はやり直しになります。"
            };
            format!("spec.suspend が true: active な Pod を削除し、新しく作りません。{clock}")
        }
        (ConditionDetail::Resumed, false) => "spec.suspend is false again: pods are created and status.startTime restarts now.".into(),
        (ConditionDetail::Resumed, true) => "spec.suspend が false に戻りました: Pod を作成し、status.startTime を今にリセットします。".into(),
    };
    head + &body
}

/// Every explanation about one pod, in time order.
pub fn pod_story(trace: &Trace, pod: PodId, locale: Locale) -> Vec<(u64, String)> {
    trace
        .log
        .decisions
        .iter()
        .filter(|d| d.pods.contains(&pod))
        .map(|d| (d.at, explain(trace, d, locale)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::run_text;

    fn outcome(spec: &str, rest: &str) -> crate::run::Outcome {
        run_text(&format!(
            "scenario: v1\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {{name: t}}\n  spec:\n{spec}\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{{name: main, image: busybox}}]\n{rest}\n"
        ))
        .unwrap()
    }

    #[test]
    fn backoff_waits_show_their_formula() {
        let o = outcome(
            "    backoffLimit: 5",
            "behavior:\n  default: {runFor: 1s, exitCode: 1}",
        );
        let waits: Vec<String> = o
            .trace
            .log
            .decisions
            .iter()
            .filter(|d| matches!(d.why, Why::BackoffWait { .. }))
            .map(|d| explain(&o.trace, d, Locale::En))
            .collect();
        assert_eq!(
            waits[0],
            "Replacements wait 10s: the 1st failure in a row waits 10s from the failure at 2s, until 12s."
        );
        assert!(
            waits[2].starts_with(
                "Replacements wait 40s: the 3rd failure in a row waits 40s (10s · 2²)"
            ),
            "{}",
            waits[2]
        );
        let ja = explain(
            &o.trace,
            o.trace
                .log
                .decisions
                .iter()
                .find(|d| matches!(d.why, Why::BackoffWait { .. }))
                .unwrap(),
            Locale::Ja,
        );
        assert!(
            ja.starts_with("置き換えの Pod はバックオフ 10s を待ちます"),
            "{ja}"
        );
    }

    #[test]
    fn creations_show_the_arithmetic() {
        let o = outcome("    completions: 5\n    parallelism: 3", "");
        let first = explain(&o.trace, &o.trace.log.decisions[0], Locale::En);
        assert_eq!(
            first,
            "Created 3 pods: the Job controller wants min(completions 5 − succeeded 0, parallelism 3) = 3 active; 3 − active 0 = 3 (slow-start batches 1, 2)."
        );
    }

    #[test]
    fn conditions_and_policies_name_the_rule() {
        let spec = "    podFailurePolicy:\n      rules:\n      - action: FailJob\n        onExitCodes: {operator: In, values: [42]}";
        let o = outcome(spec, "behavior:\n  default: {exitCode: 42}");
        let texts: Vec<String> = o
            .trace
            .log
            .decisions
            .iter()
            .map(|d| explain(&o.trace, d, Locale::En))
            .collect();
        assert!(
            texts.iter().any(|t| t.starts_with(
                "FailureTarget (PodFailurePolicy): podFailurePolicy rule 0 (FailJob) matched pod t-"
            )),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Failed (PodFailurePolicy): follows FailureTarget")),
            "{texts:?}"
        );
    }

    #[test]
    fn ordinals_and_locales() {
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal),
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"
            ]
        );
        assert_eq!(Locale::from_tag("ja-JP"), Locale::Ja);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(
            backoff_formula(&Backoff::new(8, 0, 600_000), Locale::En),
            "10s · 2⁷, capped at 10m"
        );
        assert_eq!(
            backoff_formula(&Backoff::new(3, 0, 600_000), Locale::En),
            "10s · 2²"
        );
    }
}
