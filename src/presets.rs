//! The example scenarios (`www/scenarios`, served beside the playground as
//! `scenarios/<id>.yaml` and fetched when picked), in menu order, with the
//! name each file gives itself.

pub const PRESETS: &[(&str, &str)] = &[
    ("pi", "pi"),
    ("pi-with-timeout", "pi-with-timeout"),
    ("pi-with-ttl", "pi-with-ttl"),
    ("suspended", "suspended-myjob"),
    ("indexed", "indexed-job"),
    ("work-queue", "work-queue"),
    ("sidecar-never-completes", "sidecar-never-completes"),
    ("sidecar-native", "sidecar-native"),
    ("pod-failure-policy", "pod-failure-policy-example"),
    ("pod-failure-policy-failjob", "pod-failure-policy-failjob"),
    ("retry-in-place", "retry-in-place"),
    ("cronjob-hello", "CronJob hello (every minute)"),
    (
        "cronjob-forbid-overrun",
        "Minutely batch that overruns (Forbid)",
    ),
    (
        "cronjob-sidecar-never-finishes",
        "Minutely batch with a proxy sidecar that never exits",
    ),
    (
        "cronjob-missed-schedules",
        "CronJob after a 2-hour controller outage (>100 missed)",
    ),
];

/// The id of a listed example (only these are ever fetched).
pub fn id(id: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(p, _)| *p == id).map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_every_seed_scenario_with_its_own_name() {
        let mut files: Vec<String> = std::fs::read_dir("www/scenarios")
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".yaml")
                    .to_string()
            })
            .collect();
        files.sort();
        let mut listed: Vec<String> = PRESETS.iter().map(|(id, _)| id.to_string()).collect();
        listed.sort();
        assert_eq!(files, listed);
        for (id, name) in PRESETS {
            let text = std::fs::read_to_string(format!("www/scenarios/{id}.yaml")).unwrap();
            let scenario = crate::scenario::parse(&text).unwrap();
            assert_eq!(scenario.name.as_deref(), Some(*name), "{id}");
        }
        assert_eq!(super::id("pi"), Some("pi"));
        assert_eq!(super::id("../secret"), None);
    }
}
