//! The playground page's state machine (`jobsim::app::Model`), driven
//! natively by the messages the page sends when a user types, injects,
//! scrubs and plays: what the page shows comes from here.

use jobsim::app::{Initial, Model, Msg, Selection};
use jobsim::scenario::{ActionKind, PodSelector};
use jobsim::view::explain::Locale;

fn pi() -> Model {
    let text = std::fs::read_to_string("www/scenarios/pi.yaml").unwrap();
    let initial = Initial {
        scenario: Some(text),
        origin: Some("pi".into()),
    };
    Model::new(initial, Locale::En)
}

fn fail_first_pod() -> ActionKind {
    ActionKind::FailPod {
        pod: PodSelector {
            ordinal: Some(0),
            ..PodSelector::default()
        },
        exit_code: 1,
        reason: None,
        container: None,
    }
}

#[test]
fn the_saved_work_opens_as_a_run_and_the_cursor_stays_within_it() {
    let m = pi();
    let run = m.derived.current().expect("pi runs");
    assert_eq!(run.outcome.trace.pods.len(), 1);
    assert_eq!(m.origin, "pi");
    let end = m.end();
    assert!(end > 10_000, "the pod runs 10 s: {end}");
    let m = m.reduce(Msg::Seek(end + 60_000));
    assert_eq!(m.cursor, end, "seeking past the end stops at the end");
    assert!(!m.playing);
    let m = m.reduce(Msg::Play);
    assert_eq!(
        (m.cursor, m.playing),
        (0, true),
        "play from the end starts over"
    );
    let m = m.reduce(Msg::TogglePlay);
    assert!(!m.playing);
}

#[test]
fn an_injection_is_recorded_at_the_cursor_and_replayed() {
    let m = pi().reduce(Msg::Seek(5_000));
    let m = m.reduce(Msg::Inject(fail_first_pod()));
    assert!(m.refusal.is_none(), "{:?}", m.refusal);
    assert!(m.edited);
    assert_eq!(m.scenario.actions.len(), 1);
    assert_eq!(m.scenario.actions[0].at, 5_000);
    let run = m.derived.current().unwrap();
    // The failed pod is replaced (backoffLimit 4): two pods now.
    assert_eq!(run.outcome.trace.pods.len(), 2);
    assert!(m.scenario_text().contains("action: fail-pod"));
    // Removing it gives the original run back.
    let m = m.reduce(Msg::RemoveAction(0));
    assert_eq!(m.derived.current().unwrap().outcome.trace.pods.len(), 1);
}

#[test]
fn a_refused_injection_is_not_recorded_and_says_why() {
    // At 30 s the pod has succeeded: no running container to fail.
    let m = pi().reduce(Msg::Seek(30_000));
    let before = m.scenario.actions.len();
    let m = m.reduce(Msg::Inject(fail_first_pod()));
    assert_eq!(m.scenario.actions.len(), before, "nothing recorded");
    let refusal = m.refusal.as_ref().expect("the refusal is kept to show");
    assert!(
        refusal.message.contains("no running container"),
        "{}",
        refusal.message
    );
    // The next change clears it.
    let m = m.reduce(Msg::Seek(0));
    assert!(m.refusal.is_none());
}

#[test]
fn a_broken_manifest_keeps_the_last_run_on_screen_with_the_error() {
    let m = pi().reduce(Msg::Select(Selection::Pod(0)));
    let m = m.reduce(Msg::EditManifest(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  completions: many\n"
            .into(),
    ));
    let error = m.derived.manifest_error().expect("the manifest's error");
    assert!(
        error.message.contains(
            "cannot unmarshal string into Go struct field JobSpec.spec.completions of type int32"
        ),
        "{}",
        error.message
    );
    assert_eq!(error.markers[0].line, Some(5));
    assert!(
        m.derived.current().is_none(),
        "the scenario as it is does not run"
    );
    assert!(m.run().is_some(), "the last good run stays on screen");
    assert_eq!(m.selection, Selection::Pod(0));
}

#[test]
fn an_unknown_release_is_a_problem_and_a_known_one_reruns() {
    let m = pi().reduce(Msg::SetVersion("1.99".into()));
    assert!(m.derived.current().is_none());
    let m = m.reduce(Msg::SetVersion("1.30".into()));
    let run = m.derived.current().expect("1.30 runs");
    assert_eq!(run.outcome.trace.profile.version, "1.30");
}

#[test]
fn an_examples_notes_stay_through_edits_and_go_when_another_object_is_pasted() {
    let m = pi();
    let about = m
        .scenario
        .about
        .clone()
        .expect("the example says what to notice");
    assert!(about.notice.unwrap().en.contains("Pending for 1 s"));
    assert_eq!(
        about.docs.as_deref(),
        Some("https://kubernetes.io/docs/concepts/workloads/controllers/job/")
    );
    let edited = m
        .manifest_text
        .replace("backoffLimit: 4", "backoffLimit: 2");
    let m = m.reduce(Msg::EditManifest(edited));
    assert!(
        m.scenario.about.is_some(),
        "an edit of the example keeps them"
    );
    let m = m.reduce(Msg::EditManifest(
        m.manifest_text.replace("name: pi", "name: other"),
    ));
    assert!(
        m.scenario.about.is_none(),
        "another Job: the notes are gone"
    );
    assert!(!m.scenario_text().contains("about:"));
}

#[test]
fn the_timeline_zooms_about_a_point_pans_fits_and_follows_the_playhead() {
    use jobsim::view::window::Window;
    let m = pi();
    let end = m.end();
    assert_eq!((m.window(), m.view), (Window::whole(end), None));
    // ×4 about 3 s: 3 s stays where it was on screen.
    let m = m.reduce(Msg::Zoom {
        factor: 0.25,
        at: Some(3_000),
    });
    let w = m.window();
    assert_eq!(w.span(), end / 4);
    assert!((w.pct(3_000) - Window::whole(end).pct(3_000)).abs() < 0.1);
    let m = m.reduce(Msg::Pan(1_000));
    assert_eq!(m.window().from, w.from + 1_000);
    // Playing past the window's right edge pages it along.
    let m = m
        .reduce(Msg::Seek(0))
        .reduce(Msg::Play)
        .reduce(Msg::Seek(w.to + 2_000));
    assert!(m.window().from <= m.cursor && m.cursor <= m.window().to);
    let m = m.reduce(Msg::ZoomFit);
    assert_eq!((m.window(), m.view), (Window::whole(end), None));
    // Zooming out past the whole run is the whole run.
    let m = m.reduce(Msg::Zoom {
        factor: 8.0,
        at: None,
    });
    assert_eq!(m.view, None);
}

#[test]
fn stretches_with_no_pod_collapse_into_breaks_and_open_on_a_click() {
    // Suspended at 5 s: no pod for the rest of the hour.
    let m = pi()
        .reduce(Msg::Seek(5_000))
        .reduce(Msg::Inject(ActionKind::Suspend));
    assert_eq!(m.end(), 3_600_000);
    assert!(m.axis().breaks.is_empty(), "linear until asked");
    let m = m.reduce(Msg::Collapse(true));
    let axis = m.axis();
    assert_eq!(axis.breaks.len(), 1);
    let (from, to) = axis.breaks[0];
    assert!(from < 60_000 && to > 3_500_000, "{from}..{to}");
    assert!(
        axis.pct(5_000) > 5.0,
        "the pod gets room: {}",
        axis.pct(5_000)
    );
    let m = m.reduce(Msg::Expand(from));
    assert!(m.axis().breaks.is_empty());
    let m = m.reduce(Msg::Collapse(false)).reduce(Msg::Collapse(true));
    assert_eq!(
        m.axis().breaks.len(),
        1,
        "collapsing again closes every break"
    );
}

#[test]
fn a_sealed_run_cannot_be_looked_at_until_the_seal_is_lifted() {
    let m = pi().reduce(Msg::Seek(5_000)).reduce(Msg::Seal(true));
    assert_eq!(m.cursor, 0, "sealing goes back to the start");
    for look in [
        Msg::Seek(8_000),
        Msg::Play,
        Msg::TogglePlay,
        Msg::Step(true),
        Msg::Pan(1_000),
        Msg::SetView(1_000, 5_000),
        Msg::Zoom {
            factor: 0.5,
            at: None,
        },
        Msg::Inject(fail_first_pod()),
    ] {
        let after = m.reduce(look);
        assert_eq!((after.cursor, after.playing, after.view), (0, false, None));
        assert!(after.scenario.actions.is_empty());
    }
    let open = m.reduce(Msg::Seal(false)).reduce(Msg::Play);
    assert!(open.playing, "the run plays once the answer is locked in");
}

#[test]
fn the_scenario_text_of_a_run_runs_to_the_same_outcome() {
    // The page's worker answers from this text (kubectl views, reports,
    // checks): it must be the run on screen.
    for entry in std::fs::read_dir("www/scenarios").unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let first = jobsim::run::run_text(&text).unwrap();
        let again = jobsim::run::run_text(&jobsim::run::scenario_text(&first)).unwrap();
        assert_eq!(
            jobsim::view::report::to_json(&first),
            jobsim::view::report::to_json(&again)
        );
    }
}
