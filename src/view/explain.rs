//! Why things happened, in words (English and Japanese): the text of the
//! playground's Explain panel, made from the decisions in the trace. API
//! field names and states stay untranslated, as in the Kubernetes docs.

use crate::scenario::duration::format as dur;
use crate::sim::Simulation;
use crate::sim::world::PodId;
use crate::trace::{ConditionDetail, Decision, FailCause, KillCause, Why};

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

/// "10 s · 2²": how the pod-failure backoff delay was computed.
fn backoff_formula(failures: u32, delay: u64) -> String {
    let exponent = failures.saturating_sub(1);
    let uncapped = 10_000u64.saturating_mul(1u64.checked_shl(exponent).unwrap_or(u64::MAX));
    let power = match exponent {
        0 => String::new(),
        1 => " · 2".into(),
        e => format!(" · 2{}", superscript(e)),
    };
    let capped = if uncapped > delay {
        format!(", capped at {}", dur(delay))
    } else {
        String::new()
    };
    format!("10s{power}{capped}")
}

fn superscript(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| {
            ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][c.to_digit(10).unwrap_or(0) as usize]
        })
        .collect()
}

fn pod_names(sim: &Simulation, pods: &[PodId]) -> String {
    pods.iter()
        .map(|&p| sim.world.pods[p].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The explanation of one decision.
pub fn explain(sim: &Simulation, d: &Decision, locale: Locale) -> String {
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
        Why::BackoffWait {
            failures,
            delay,
            last_failure_at,
            until,
        } => {
            let formula = backoff_formula(*failures, *delay);
            if ja {
                format!(
                    "バックオフ {}: 最後の成功以降 {failures} 回目の失敗（{formula}）。最後の失敗 {} から {} まで Pod の作成を待ちます。",
                    dur(*delay),
                    dur(*last_failure_at),
                    dur(*until)
                )
            } else {
                format!(
                    "Waited {}: the {} failure in a row ({formula}), counted from the last failure at {}; replacements wait until {}.",
                    dur(*delay),
                    ordinal(*failures),
                    dur(*last_failure_at),
                    dur(*until)
                )
            }
        }
        Why::IndexBackoffWait {
            index,
            failures,
            delay,
            last_failure_at,
            until,
        } => {
            let formula = backoff_formula(*failures, *delay);
            if ja {
                format!("インデックス {index} のバックオフ {}: このインデックスの {failures} 回目の失敗（{formula}）。{} から {} まで待ちます。", dur(*delay), dur(*last_failure_at), dur(*until))
            } else {
                format!(
                    "Index {index} waited {}: its {} failure (backoffLimitPerIndex; {formula}), from {} until {}.",
                    dur(*delay),
                    ordinal(*failures),
                    dur(*last_failure_at),
                    dur(*until)
                )
            }
        }
        Why::ScaledDown { active, want_active } => {
            if ja {
                format!("スケールダウンで削除: active {active} に対して望ましい数は {want_active}。削除された Pod は failed に数えません。")
            } else {
                format!("Deleted to scale down: {active} active, {want_active} wanted ({}). Not counted as failed.", pod_names(sim, &d.pods))
            }
        }
        Why::SuspendDeleted => {
            if ja {
                "Job が suspend されたため削除。failed には数えず、バックオフも増えません。".into()
            } else {
                format!("Deleted because the Job is suspended ({}): not counted as failed, no backoff.", pod_names(sim, &d.pods))
            }
        }
        Why::FinishDeleted { condition, reason } => {
            let counted = condition != "SuccessCriteriaMet";
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
        Why::Condition { type_, reason, detail } => condition_text(sim, type_, reason, detail, locale),
        Why::Restarted {
            container,
            exit_code,
            delay,
            restart_count,
        } => {
            if ja {
                let when = if *delay == 0 { "すぐに".to_string() } else { format!("{} 後に", dur(*delay)) };
                format!("コンテナー {container} が終了コード {exit_code} で終了し、kubelet が同じ Pod の中で{when}再起動しました（{restart_count} 回目。CrashLoopBackOff: 初回は即時、その後 10s から倍々で最大 300s）。")
            } else {
                let when = if *delay == 0 { "at once (the first restart is immediate)".to_string() } else { format!("after {} of CrashLoopBackOff (10s doubling up to 300s)", dur(*delay)) };
                format!("Container {container} exited with {exit_code}; the kubelet restarted it in place {when}. Restart #{restart_count}.")
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
                (KillCause::SidecarsAfterMain, true) => "メインのコンテナーが終わったため、サイドカーを逆順に停止します",
                (KillCause::PodDeadline, false) => "the pod's activeDeadlineSeconds passed",
                (KillCause::PodDeadline, true) => "Pod の activeDeadlineSeconds を過ぎたため",
            };
            match (ja, sigkill) {
                (false, false) => format!("SIGTERM to container {container}: {why}. It has {grace_seconds}s (terminationGracePeriodSeconds) before SIGKILL."),
                (false, true) => format!("SIGTERM to container {container}: {why}. It did not exit within {grace_seconds}s, so SIGKILL ends it (exit code 137)."),
                (true, false) => format!("コンテナー {container} に SIGTERM: {why}。SIGKILL まで {grace_seconds}s の猶予があります。"),
                (true, true) => format!("コンテナー {container} に SIGTERM: {why}。{grace_seconds}s 以内に終わらなかったので SIGKILL で終了（終了コード 137）。"),
            }
        }
    }
}

/// Why a Job condition was set.
pub fn condition_text(
    sim: &Simulation,
    type_: &str,
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
            format!("restartPolicy OnFailure: コンテナーの再起動 {restarts} 回 ≥ backoffLimit {backoff_limit}。")
        }
        (ConditionDetail::Deadline { start_time, active_deadline_seconds }, false) => format!(
            "active since startTime {} for {active_deadline_seconds}s = activeDeadlineSeconds. Deadlines win over pod creation, but lose to backoffLimit in the same sync.",
            dur(*start_time)
        ),
        (ConditionDetail::Deadline { start_time, active_deadline_seconds }, true) => {
            format!("startTime {} から activeDeadlineSeconds {active_deadline_seconds}s が経過しました。", dur(*start_time))
        }
        (ConditionDetail::PodFailurePolicy { rule, pod }, false) => {
            format!("podFailurePolicy rule {rule} (FailJob) matched pod {}.", sim.world.pods[*pod].name)
        }
        (ConditionDetail::PodFailurePolicy { rule, pod }, true) => {
            format!("Pod {} が podFailurePolicy のルール {rule}（FailJob）に一致しました。", sim.world.pods[*pod].name)
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
        (ConditionDetail::Suspended, false) => "spec.suspend is true: active pods are deleted and none are created.".into(),
        (ConditionDetail::Suspended, true) => "spec.suspend が true: active な Pod を削除し、新しく作りません。".into(),
        (ConditionDetail::Resumed, false) => "spec.suspend is false again: pods are created and status.startTime restarts now.".into(),
        (ConditionDetail::Resumed, true) => "spec.suspend が false に戻りました: Pod を作成し、status.startTime を今にリセットします。".into(),
    };
    head + &body
}

/// Every explanation about one pod, in time order.
pub fn pod_story(sim: &Simulation, pod: PodId, locale: Locale) -> Vec<(u64, String)> {
    sim.decisions
        .iter()
        .filter(|d| d.pods.contains(&pod))
        .map(|d| (d.at, explain(sim, d, locale)))
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
            .sim
            .decisions
            .iter()
            .filter(|d| matches!(d.why, Why::BackoffWait { .. }))
            .map(|d| explain(&o.sim, d, Locale::En))
            .collect();
        assert!(
            waits[0].starts_with("Waited 10s: the 1st failure in a row (10s)"),
            "{}",
            waits[0]
        );
        assert!(
            waits[2].starts_with("Waited 40s: the 3rd failure in a row (10s · 2²)"),
            "{}",
            waits[2]
        );
        let ja = explain(
            &o.sim,
            o.sim
                .decisions
                .iter()
                .find(|d| matches!(d.why, Why::BackoffWait { .. }))
                .unwrap(),
            Locale::Ja,
        );
        assert!(ja.starts_with("バックオフ 10s"), "{ja}");
    }

    #[test]
    fn creations_show_the_arithmetic() {
        let o = outcome("    completions: 5\n    parallelism: 3", "");
        let first = explain(&o.sim, &o.sim.decisions[0], Locale::En);
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
            .sim
            .decisions
            .iter()
            .map(|d| explain(&o.sim, d, Locale::En))
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
        assert_eq!(backoff_formula(8, 600_000), "10s · 2⁷, capped at 10m");
    }
}
