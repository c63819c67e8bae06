//! What the Container behaviour panel shows besides the scenario's own
//! `behavior`: the manifest's containers to give behaviour to (what each
//! pod rule did in the run is `trace::Log::starts_of_rule`).

use crate::admission::tree::{get, list, str_at};
use crate::yaml::Value;

pub use crate::sim::world::ContainerKind;

/// The containers of the manifest's pod template (a Job's, or a CronJob's
/// Job template's), init containers first, as the pod runs them; an init
/// container with `restartPolicy: Always` is a sidecar.
pub fn containers(manifest: &Value) -> Vec<(String, ContainerKind)> {
    let spec = get(manifest, "spec");
    let job_spec = match spec.and_then(|s| get(s, "jobTemplate")) {
        Some(template) => get(template, "spec"),
        None => spec,
    };
    let Some(pod) = job_spec
        .and_then(|s| get(s, "template"))
        .and_then(|t| get(t, "spec"))
    else {
        return Vec::new();
    };
    let named = |c: &Value, kind| str_at(c, "name").map(|n| (n.to_string(), kind));
    let init = list(pod, "initContainers").iter().filter_map(|c| {
        let sidecar = str_at(c, "restartPolicy") == Some("Always");
        named(
            c,
            if sidecar {
                ContainerKind::Sidecar
            } else {
                ContainerKind::Init
            },
        )
    });
    let regular = list(pod, "containers")
        .iter()
        .filter_map(|c| named(c, ContainerKind::Regular));
    init.chain(regular).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cron_jobs_containers_with_their_kinds() {
        let manifest = crate::yaml::parse(
            "kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n          - {name: setup}\n          - {name: proxy, restartPolicy: Always}\n          containers: [{name: job}]\n",
        )
        .unwrap();
        assert_eq!(
            containers(&manifest),
            [
                ("setup".to_string(), ContainerKind::Init),
                ("proxy".to_string(), ContainerKind::Sidecar),
                ("job".to_string(), ContainerKind::Regular)
            ]
        );
        assert!(containers(&Value::Null).is_empty());
    }
}
