//! The fields of a container behaviour one at a time, as the playground's
//! behaviour panel edits them: each field's scenario key, its text, and
//! setting it from what the user typed, with the scenario format's rules
//! (durations, `forever`, exit codes 0–255).

use super::ContainerBehavior;
use super::duration::{self, Duration, RunFor};

/// One field of `ContainerBehavior`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BehaviorField {
    StartDelay,
    RunFor,
    ExitCode,
    Reason,
    SigtermDelay,
    SigtermExitCode,
}

impl BehaviorField {
    /// Every field, in the order of SCENARIO.md.
    pub const ALL: [BehaviorField; 6] = [
        BehaviorField::StartDelay,
        BehaviorField::RunFor,
        BehaviorField::ExitCode,
        BehaviorField::Reason,
        BehaviorField::SigtermDelay,
        BehaviorField::SigtermExitCode,
    ];

    /// The field's key in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            BehaviorField::StartDelay => "startDelay",
            BehaviorField::RunFor => "runFor",
            BehaviorField::ExitCode => "exitCode",
            BehaviorField::Reason => "reason",
            BehaviorField::SigtermDelay => "sigtermDelay",
            BehaviorField::SigtermExitCode => "sigtermExitCode",
        }
    }

    /// The field's value as a scenario file writes it (empty when unset).
    pub fn text(self, c: &ContainerBehavior) -> String {
        let code = |c: Option<i32>| c.map(|c| c.to_string()).unwrap_or_default();
        let time = |d: Option<Duration>| d.map(|d| duration::format(d.0)).unwrap_or_default();
        match self {
            BehaviorField::StartDelay => time(c.start_delay),
            BehaviorField::RunFor => match c.run_for {
                Some(RunFor::For(d)) => duration::format(d),
                Some(RunFor::Forever) => "forever".into(),
                None => String::new(),
            },
            BehaviorField::ExitCode => code(c.exit_code),
            BehaviorField::Reason => c.reason.clone().unwrap_or_default(),
            BehaviorField::SigtermDelay => time(c.sigterm_delay),
            BehaviorField::SigtermExitCode => code(c.sigterm_exit_code),
        }
    }

    /// What a row that leaves the field unset gets from `fallback` (the
    /// levels above it, down to `ContainerBehavior::built_in`): its text,
    /// or for the reason the runtime's word for the exit code.
    pub fn inherited(self, fallback: &ContainerBehavior) -> String {
        match (self, &fallback.reason) {
            (BehaviorField::Reason, None) => {
                super::exit_reason(fallback.exit_code.unwrap_or(0)).into()
            }
            _ => self.text(fallback),
        }
    }

    /// Sets the field from typed text: empty text unsets it (the value
    /// then comes from the next level). Text the scenario format would
    /// refuse changes nothing and says why.
    pub fn set(self, c: &mut ContainerBehavior, text: &str) -> Result<(), String> {
        let text = text.trim();
        let empty = text.is_empty();
        let time = |text: &str| duration::parse(text).map(Duration);
        let code = |text: &str| match text.parse::<i32>() {
            Ok(n) if (0..=255).contains(&n) => Ok(n),
            _ => Err(format!(
                "invalid exit code {text:?}: expected a number from 0 to 255"
            )),
        };
        match self {
            BehaviorField::StartDelay => {
                c.start_delay = (!empty).then(|| time(text)).transpose()?
            }
            BehaviorField::RunFor => {
                c.run_for = match text {
                    "" => None,
                    "forever" => Some(RunFor::Forever),
                    t => Some(RunFor::For(
                        duration::parse(t).map_err(|e| format!("{e}; or forever"))?,
                    )),
                }
            }
            BehaviorField::ExitCode => c.exit_code = (!empty).then(|| code(text)).transpose()?,
            BehaviorField::Reason => c.reason = (!empty).then(|| text.to_string()),
            BehaviorField::SigtermDelay => {
                c.sigterm_delay = (!empty).then(|| time(text)).transpose()?
            }
            BehaviorField::SigtermExitCode => {
                c.sigterm_exit_code = (!empty).then(|| code(text)).transpose()?
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_reads_back_what_was_set_and_refuses_what_a_file_would() {
        let mut c = ContainerBehavior::default();
        for (field, text) in [
            (BehaviorField::StartDelay, "1m30s"),
            (BehaviorField::RunFor, "forever"),
            (BehaviorField::ExitCode, "42"),
            (BehaviorField::Reason, "OOMKilled"),
            (BehaviorField::SigtermDelay, "250ms"),
            (BehaviorField::SigtermExitCode, "0"),
        ] {
            field.set(&mut c, text).unwrap();
            assert_eq!(field.text(&c), text, "{}", field.key());
        }
        assert_eq!(c.run_for, Some(RunFor::Forever));
        let before = c.clone();
        assert_eq!(
            BehaviorField::ExitCode.set(&mut c, "300"),
            Err("invalid exit code \"300\": expected a number from 0 to 255".into())
        );
        assert!(
            BehaviorField::RunFor
                .set(&mut c, "forevr")
                .unwrap_err()
                .ends_with("; or forever")
        );
        assert!(BehaviorField::SigtermDelay.set(&mut c, "-1s").is_err());
        assert_eq!(c, before, "refused text changes nothing");
        BehaviorField::RunFor.set(&mut c, " ").unwrap();
        assert_eq!(c.run_for, None, "empty text unsets");
        let above = ContainerBehavior {
            exit_code: Some(1),
            ..ContainerBehavior::default()
        }
        .or(&ContainerBehavior::built_in());
        let inherited: Vec<String> = BehaviorField::ALL
            .iter()
            .map(|f| f.inherited(&above))
            .collect();
        assert_eq!(inherited, ["1s", "10s", "1", "Error", "0s", "143"]);
    }
}
