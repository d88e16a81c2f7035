use super::*;
use crate::crew::tests::configured;
use crate::protocol::{ReasoningTeacher, SizeScore, Solution, Solved, TaskScores};
use crate::settings::find;
use distill_data::catalog::ReasoningEntry;

pub(crate) fn catalog(train_rows: usize) -> Catalog {
    let entry = PackEntry {
        teacher: "mnist-mlp".into(),
        dataset: "mnist".into(),
        dataset_title: "MNIST".into(),
        class_names: (0..10).map(|c| c.to_string()).collect(),
        architecture: "mlp:1200-1200".into(),
        parameters: 2_395_210,
        test_accuracy: 0.991,
        file: "mnist-mlp.safetensors".into(),
        bytes: 1000,
        sha256: "0123456789abcdef".repeat(4),
        train_rows,
        test_rows: 1000,
        questions: Vec::new(),
        parts: Vec::new(),
    };
    Catalog { packs: vec![entry], ..Catalog::default() }
}

fn sent(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .map(|e| match e {
            Effect::Send(c) | Effect::Post { command: c, .. } => {
                format!("{c:?}").split(['(', ' ']).next().unwrap().to_string()
            }
            other => format!("{other:?}").split(['(', ' ', '{']).next().unwrap().to_string(),
        })
        .collect()
}

/// One student's half of a report at `step` of 10 (64 examples a step).
fn half_report(student: Student, step: usize, accuracy: f64) -> Event {
    Event::Scored(Box::new(Scored {
        step,
        examples_seen: 64 * step,
        report: crate::chart::tests::student(accuracy),
        ..scored_half(student)
    }))
}

fn scored_half(student: Student) -> Scored {
    Scored {
        student,
        step: 1,
        total_steps: 10,
        examples_seen: 64,
        examples_per_second: 100.0,
        queries: 500,
        answered: 500,
        round_done: false,
        report: crate::chart::tests::student(0.5),
    }
}

/// The download of the chosen teacher's pack, started before the workers listen.
fn fetch(page: &Page) -> Effect {
    Effect::Fetch(page.teacher_pack().unwrap().load.needs_file().unwrap())
}

pub(crate) fn ready_page(query: &str) -> Page {
    let mut page = Page::new(query, Lang::En);
    assert_eq!(sent(&page.set_catalog(catalog(5000))), ["SpawnWorkers", "Fetch"]);
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "Load", "Configure"]);
    assert!(matches!(page.phase, Phase::Loading { .. }));
    page
}

pub(crate) fn with_words(mut catalog: Catalog) -> Catalog {
    catalog.words.push(WordsEntry {
        teacher: "words-en".into(),
        language: "en".into(),
        architecture: "context 8".into(),
        parameters: 122_787,
        test_bits_per_char: 2.47,
        file: "words-en.safetensors".into(),
        bytes: 700_000,
        sha256: "0123456789abcdef".repeat(4),
        train_words: 2000,
        test_words: 500,
    });
    catalog
}

pub(crate) fn with_reasoning(mut catalog: Catalog) -> Catalog {
    catalog.reasoning.push(ReasoningEntry {
        teacher: "parity".into(),
        architecture: "width 64 · 4 heads · 2 layers · feed-forward 256".into(),
        parameters: 103_174,
        test_accuracy: 1.0,
        problems: 2000,
        file: "parity.safetensors".into(),
        bytes: 650_000,
        sha256: "0123456789abcdef".repeat(4),
    });
    catalog
}

#[test]
fn the_reasoning_task_loads_its_pack_and_solves_the_typed_problem() {
    let mut page = Page::new("task=reasoning&budget=5000", Lang::En);
    let spawned = page.set_catalog(with_reasoning(catalog(5000)));
    assert_eq!(spawned, [Effect::SpawnWorkers { kind: WorkerKind::SequencesCpu, count: 1 }, fetch(&page)]);
    let s = page.settings();
    assert_eq!((s.teacher.as_str(), s.train.mode, s.budget()), ("parity", distill_spec::Mode::Text, 2000));
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "LoadReasoning", "Configure"]);
    let by_size = (5..=9).map(|bits| SizeScore { bits, right: if bits < 9 { 1.0 } else { 0.03 } }).collect();
    let teacher = ReasoningTeacher {
        teacher: "parity".into(),
        taught: (5, 8),
        accuracy: 0.995,
        by_size,
        asked: 2000,
        right: 1355,
        temperature: 2.5,
    };
    assert_eq!(page.apply(0, Event::ReasoningLoaded(teacher)), [Effect::Send(Command::Solve("1101001".into()))]);
    assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "Solve"], "the new students write too");
    assert_eq!(page.solve(" 10110 ".into()), [Effect::Send(Command::Solve("10110".into()))]);
    // A problem that is not one is refused under the box, in the page's language, and not asked.
    for (typed, refusal) in [
        ("1021", "“2” is not a bit: a problem is made of 0s and 1s, e.g. 1011."),
        ("", "Type some bits, e.g. 1011."),
        (&"1".repeat(17), "17 bits is too many: at most 16."),
    ] {
        assert_eq!(page.solve(typed.to_string()), [], "{typed}");
        let view = page.reasoning().unwrap();
        assert_eq!(refusal_text(view.refusal.as_ref().unwrap(), Lang::En), refusal);
        assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles"], "new students are asked nothing either");
    }
    assert_eq!(page.solve("111".into()).len(), 1);
    assert_eq!(page.reasoning().unwrap().refusal, None);
    let solution =
        Solution { text: ">101=1.".into(), probabilities: vec![0.9; 7], answer_right: true, trace_right: true };
    let solved = Solved { problem: "111".into(), teacher: solution, students: PerStudent::default() };
    page.apply(0, Event::Solved(solved.clone()));
    assert_eq!(page.reasoning().unwrap().solved, Some(solved));

    let headline = page.reasoning_headline();
    assert_eq!((headline.distilled.as_str(), headline.teacher.as_str()), ("–", "99.50%"), "the worker's figure");
    assert_eq!(headline.by_size.len(), 5);
    assert_eq!(headline.by_size[4], (9, ["3.00%".to_string(), "–".to_string(), "–".to_string()]));
    let sizes = headline.sizes.unwrap();
    assert!(
        sizes.starts_with("Student: a transformer of 27.0k parameters, 3.8× smaller than parity (103.2k)"),
        "{sizes}"
    );
    assert!(sizes.contains("9 bits is longer than any it was taught"), "{sizes}");
    let half = |student, right: f64| {
        let mut report = crate::chart::tests::student(right);
        let by_size = vec![SizeScore { bits: 5, right }, SizeScore { bits: 9, right: 0.5 }];
        report.task = TaskScores::Reasoning { by_size, traces_right: right };
        Event::Scored(Box::new(Scored { report, ..scored_half(student) }))
    };
    page.apply(0, half(Student::Distilled, 0.97));
    page.apply(0, half(Student::Baseline, 0.35));
    let headline = page.reasoning_headline();
    assert_eq!((headline.distilled.as_str(), headline.baseline.as_str()), ("97.00%", "35.00%"));
    assert_eq!(headline.verdict.as_deref(), Some("Distillation is ahead by 62.00 points."));
    assert_eq!(headline.by_size[0].1[1..], ["97.00%".to_string(), "35.00%".to_string()]);
    assert_eq!(headline.by_size[3].1[1], "–", "no score of 8 bits in the report");

    // Another task: the reasoning pack's late news lands nowhere.
    page.set(find("task").unwrap(), "images");
    assert!(page.reasoning().is_none());
    assert_eq!(page.apply(0, Event::Solved(Solved::default())), []);
}

#[test]
fn the_words_task_loads_its_pack_and_asks_about_the_typed_prefix() {
    let mut page = Page::new("task=words&budget=5000", Lang::En);
    let spawned = page.set_catalog(with_words(catalog(5000)));
    assert_eq!(
        spawned,
        [Effect::SpawnWorkers { kind: WorkerKind::SequencesCpu, count: 1 }, fetch(&page)],
        "the CPU build with words, and its pack's download"
    );
    assert_eq!(page.settings().budget(), 2000, "held to the pack's words");
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "LoadWords", "Configure"]);
    let teacher = WordsTeacher { letters: "abc".into(), context: 8, ..WordsTeacher::default() };
    assert_eq!(page.apply(0, Event::WordsLoaded(teacher)), [Effect::Send(Command::NextLetters(String::new()))]);
    assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "NextLetters"], "no image to inspect");
    assert_eq!(page.ask_next_letters("cab".into()), [Effect::Send(Command::NextLetters("cab".into()))]);
    assert_eq!(page.ask_next_letters("cad".into()), [], "d is not a letter of this alphabet");
    assert_eq!(page.words().unwrap().prefix_problem, Some(WorkerError::Letter("d".into(), "abc".into())));
    // The worker's own refusal spoils nothing either.
    page.apply(0, Event::Error(WorkerError::Letter("é".into(), "abc".into())));
    assert_eq!((page.phase.clone(), page.problem.clone()), (Phase::Ready, None));
    page.apply(0, Event::NextLetters(NextLetters { prefix: "ca".into(), ..NextLetters::default() }));
    assert_eq!(page.words().unwrap().prefix_problem, None);
    let headline = page.words_headline();
    assert_eq!((headline.distilled.as_str(), headline.verdict), ("–", None), "no report yet");
    // 4 tokens, context 8: 4·8 + (64·100 + 100) + (100·4 + 4) parameters for mlp:100.
    let sizes = headline.sizes.unwrap();
    assert!(sizes.starts_with("Student: 6936 parameters, 18× smaller than words-en (122.8k)"), "{sizes}");
    // Back to images: the CPU build without words, then the image pack; the words pack's late
    // news asks nothing.
    let effects = page.set(find("task").unwrap(), "images");
    assert_eq!(effects, [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }]);
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "Load", "Configure"]);
    assert_eq!(page.settings().teacher, "mnist-mlp");
    assert_eq!(page.apply(0, Event::WordsLoaded(WordsTeacher::default())), []);
    page.set(find("task").unwrap(), "words");
    page.apply(0, Event::ready());
    assert_eq!(page.apply(0, Event::Loaded { curated: Vec::new() }), [], "nor does the image pack's");
}

#[test]
fn switching_the_task_drops_the_old_tasks_reports_and_views_and_late_halves() {
    let words_half = |student| {
        let mut report = crate::chart::tests::student(0.4);
        report.task = TaskScores::Words { bits_per_char: 2.5, invented: Vec::new(), green: None };
        Event::Scored(Box::new(Scored { report, ..scored_half(student) }))
    };
    let mut page = Page::new("lesson=dark-knowledge-in-text&backend=cpu&exclude=3", Lang::En);
    page.set_catalog(with_words(catalog(5000)));
    assert_eq!(page.notices.len(), 1, "exclude= is not the words task's");
    page.apply(0, Event::ready());
    page.apply(0, Event::WordsLoaded(WordsTeacher { letters: "abc".into(), ..WordsTeacher::default() }));
    page.apply(0, configured());
    page.apply(0, words_half(Student::Distilled));
    page.apply(0, words_half(Student::Baseline));
    assert_eq!(page.reports.len(), 1);
    assert_eq!(sent(&page.start_lesson("missing-digit")), ["SpawnWorkers"], "the image build");
    assert_eq!(page.task(), Task::Images);
    assert!(page.settings().train.excluded_class.is_some());
    assert!(page.notices.is_empty(), "the opening link's notices were about another page");
    assert!(page.reports.is_empty() && page.words().is_none(), "no words report under an image headline");
    page.apply(0, words_half(Student::Distilled));
    page.apply(0, words_half(Student::Baseline));
    assert!(page.reports.is_empty(), "a words report still on its way is dropped");
    page.apply(0, Event::ready());
    page.apply(0, configured());
    page.apply(0, half_report(Student::Distilled, 1, 0.5));
    page.apply(0, half_report(Student::Baseline, 1, 0.4));
    let (pixels, teacher_logits) = (vec![0; 784], vec![0.0; 10]);
    let pick = Pick::Test(0);
    let students = PerStudent::default();
    let inspection = Inspection { pick, label: Some(1), pixels, teacher_logits, students };
    page.apply(0, Event::Inspection(inspection));
    assert!(page.reports.len() == 1 && page.images().unwrap().inspection.is_some());
    page.start_lesson("dark-knowledge-in-text");
    assert!(page.reports.is_empty() && page.images().is_none());
}

#[test]
fn the_task_is_the_links_and_a_teacher_of_another_task_brings_its_own() {
    let mut page = Page::new("teacher=words-en&mode=text&t=3", Lang::En);
    assert_eq!(page.task(), Task::Images, "the task is chosen by task=, not read from a teacher's name");
    assert_eq!(sent(&page.set_catalog(with_words(catalog(5000)))), ["SpawnWorkers", "Fetch"]);
    assert_eq!((page.task(), page.settings().teacher.as_str()), (Task::Words, "words-en"));
    assert_eq!((page.settings().train.mode, page.settings().train.temperature), (distill_spec::Mode::Text, 3.0));
    let notices: Vec<String> = page.notices.iter().map(|n| n.text(Lang::En)).collect();
    assert_eq!(notices, ["teacher=words-en teaches the words task; using task=words"]);

    let mut page = Page::new("task=words&teacher=nope", Lang::En);
    page.set_catalog(with_words(catalog(5000)));
    assert_eq!((page.task(), page.settings().teacher.as_str()), (Task::Words, "words-en"), "the task's default");
    let mut page = Page::new("task=words", Lang::En);
    page.set_catalog(catalog(5000));
    assert_eq!((page.task(), page.settings().teacher.as_str()), (Task::Images, "mnist-mlp"), "no words pack at all");
    assert!(page.notices.iter().any(|n| n.text(Lang::En) == "there is no teacher `words-en`; using mnist-mlp"));
}

#[test]
fn a_link_with_autostart_starts_once_the_students_exist() {
    let mut page = ready_page("autostart=1&budget=500");
    let effects = page.apply(0, configured());
    assert_eq!(sent(&effects), ["DiscardFiles", "Inspect", "Start"]);
    assert_eq!(page.phase, Phase::Ready);
    assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "Inspect"], "only the first time");
}

#[test]
fn the_phase_follows_the_worker() {
    let mut page = ready_page("");
    page.apply(0, configured());
    assert!(page.can_train());
    assert_eq!(page.press_start(), [Effect::Send(Command::Start)]);
    assert_eq!(page.phase, Phase::Training, "at once, before the worker's answer");
    page.apply(0, Event::Running(true));
    assert_eq!(page.phase, Phase::Training);
    page.apply(0, Event::Running(false));
    assert_eq!(page.phase, Phase::Paused);
    page.apply(0, Event::Finished);
    assert_eq!(page.phase, Phase::Finished);
    let effects = page.apply(0, Event::Error(WorkerError::Training("diverged".into())));
    assert_eq!(effects, [Effect::Send(Command::Pause), Effect::Send(Command::StopSweep)], "every worker stops");
    assert_eq!(page.phase, Phase::Failed);
    assert!(page.problem.as_ref().unwrap().text(Lang::En).contains("diverged"));
    assert_eq!(sent(&page.reset()), ["SpawnWorkers"], "after an error, fresh workers");
    assert_eq!(page.problem, None);
    page.apply(0, Event::ready());
    page.apply(0, configured());
    assert_eq!(sent(&page.reset()), ["Configure"], "a healthy worker gets fresh students");
    page.worker_stopped("panic".into());
    assert_eq!(sent(&page.reset()), ["SpawnWorkers"], "a dead one is replaced");
    page.apply(0, Event::ready());
    page.apply(0, Event::Error(WorkerError::DeviceLost("Destroyed".into())));
    page.apply(0, Event::Error(WorkerError::Training("a read failed".into())));
    assert!(page.problem.as_ref().unwrap().text(Lang::En).starts_with("The GPU device was lost (Destroyed)"));
}

#[test]
fn the_backend_setting_starts_the_worker_build_it_needs() {
    let mut page = Page::new("", Lang::En);
    page.gpu = Some(Gpu::Adapter { name: "SwiftShader".into(), fallback: true });
    assert_eq!(
        page.set_catalog(catalog(5000)),
        [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }, fetch(&page)],
        "Automatic skips a fallback"
    );
    assert!(page.backend_note.as_ref().unwrap().text(Lang::En).contains("SwiftShader"));
    page.apply(0, Event::ready());
    page.apply(0, configured());
    assert_eq!(
        page.set(find("backend").unwrap(), "webgpu"),
        [Effect::SpawnWorkers { kind: WorkerKind::WebGpu, count: 1 }]
    );
    assert_eq!((page.phase.clone(), page.backend_note.clone()), (Phase::Starting, None));
    assert_eq!(page.set(find("backend").unwrap(), "cpu"), Vec::new(), "nothing until the new worker listens");
    assert_eq!(
        page.apply(0, Event::ready()),
        [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }],
        "it started as the wrong build"
    );
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "Load", "Configure"]);
    assert_eq!(sent(&page.set(find("t").unwrap(), "8")), ["Configure"], "the same build keeps its worker");
    page.set(find("backend").unwrap(), "auto");
    assert!(matches!(page.backend_note, Some(BackendNote::FallbackSkipped(_))), "Automatic says why it is on the CPU");
    assert_eq!(sent(&page.set(find("backend").unwrap(), "cpu")), ["Configure"]);
    assert_eq!(page.backend_note, None, "the CPU chosen by hand needs no excuse");
}

#[test]
fn the_cpu_workers_start_before_the_adapter_answers() {
    let hardware = Gpu::Adapter { name: "RTX".into(), fallback: false };
    let cpu_pair = Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 2 };
    let mut page = Page::new("", Lang::En);
    page.cores = 2;
    let effects = page.set_catalog(catalog(5000));
    assert_eq!(effects, [cpu_pair, fetch(&page)], "Automatic does not wait for the adapter");
    assert_eq!(page.backend_note, None, "nothing to excuse yet");
    page.apply(0, Event::ready());
    page.apply(1, Event::ready());
    let fallback = Gpu::Adapter { name: "SwiftShader".into(), fallback: true };
    assert_eq!(page.set_gpu(fallback), [], "a fallback adapter keeps the CPU workers");
    assert!(matches!(page.backend_note, Some(BackendNote::FallbackSkipped(_))), "and says why");

    let mut page = Page::new("", Lang::En);
    page.cores = 2;
    page.set_catalog(catalog(5000));
    page.apply(0, Event::ready());
    page.apply(1, Event::ready());
    let webgpu = [Effect::SpawnWorkers { kind: WorkerKind::WebGpu, count: 1 }];
    assert_eq!(page.set_gpu(hardware.clone()), webgpu, "a hardware adapter replaces them");

    let mut page = Page::new("", Lang::En);
    page.set_catalog(catalog(5000));
    assert_eq!(page.set_gpu(hardware.clone()), [], "workers still starting are replaced when they listen");
    assert_eq!(page.apply(0, Event::ready()), webgpu);

    let mut page = Page::new("backend=webgpu", Lang::En);
    let effects = page.set_catalog(catalog(5000));
    assert_eq!(effects, [fetch(&page)], "WebGPU asked for by name waits for the answer, not its pack");
    assert_eq!(page.set_gpu(hardware), webgpu);
}

#[test]
fn the_workers_start_before_the_catalog_and_load_it_when_both_are_there() {
    let mut page = Page::new("", Lang::En);
    page.cores = 2;
    assert_eq!(page.start(), [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 2 }]);
    page.apply(1, Event::ready());
    let effects = page.apply(0, Event::ready());
    assert_eq!(sent(&effects), ["Assign"], "no pack to load before the catalog");
    assert_eq!(sent(&page.set_catalog(catalog(5000))), ["Load", "Configure"], "the catalog to ready workers");

    let mut page = Page::new("", Lang::En);
    page.start();
    let effects = page.set_catalog(catalog(5000));
    assert_eq!(effects, [fetch(&page)], "a catalog before the workers listen: its pack downloads meanwhile");
    page.downloading(5, 10);
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "Load", "Configure"]);
    assert_eq!(page.phase, Phase::Loading { loaded: 5, total: 10 }, "the download goes on");

    let mut page = Page::new("backend=webgpu", Lang::En);
    assert_eq!(page.start(), [], "WebGPU by name waits for the adapter");
    assert_eq!(page.set_gpu(Gpu::Missing("none".into())), [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 1 }]);
}

#[test]
fn two_cores_train_a_student_each_and_the_page_waits_for_both_workers() {
    let mut page = Page::new("", Lang::En);
    page.cores = 2;
    page.gpu = Some(Gpu::Adapter { name: "SwiftShader".into(), fallback: true });
    let effects = page.set_catalog(catalog(5000));
    assert_eq!(effects, [Effect::SpawnWorkers { kind: WorkerKind::Cpu, count: 2 }, fetch(&page)]);
    let assign = |worker, student| Effect::Post { worker, command: Command::Assign(Students::Only(student)) };
    assert_eq!(page.apply(1, Event::ready()), [assign(1, Student::Baseline)], "one worker is not enough");
    let effects = page.apply(0, Event::ready());
    assert_eq!(effects[0], assign(0, Student::Distilled));
    assert_eq!(sent(&effects[1..]), ["Load", "Configure"]);
    assert!(page.apply(1, configured()).is_empty());
    assert_eq!(sent(&page.apply(0, configured())), ["DiscardFiles", "Inspect"]);
    page.apply(0, Event::Backend { name: "CPU".into(), fallback: None });
    assert_eq!(page.backend_label(Lang::En), "CPU × 2: one worker per student");
    assert_eq!(page.apply(0, Event::Imported(Ok(()))), [Effect::Send(Command::Score)], "a fresh score follows");
    let effects = page.set(find("backend").unwrap(), "webgpu");
    assert_eq!(effects, [Effect::SpawnWorkers { kind: WorkerKind::WebGpu, count: 1 }], "WebGPU trains both in one");
}

#[test]
fn a_control_change_resets_and_a_bad_value_changes_nothing() {
    let mut page = ready_page("");
    page.apply(0, configured());
    let effects = page.set(find("t").unwrap(), "8");
    assert_eq!(sent(&effects), ["Configure"]);
    assert_eq!(page.settings().train.temperature, 8.0);
    assert!(page.query().contains("t=8"));
    let before = page.clone();
    assert!(page.set(find("batch").unwrap(), "lots").is_empty());
    assert_eq!(page.settings(), before.settings());
    assert!(page.problem.as_ref().unwrap().text(Lang::En).contains("batch=lots"));
    page.set(find("budget").unwrap(), "60000");
    assert_eq!(page.settings().budget(), 5000, "held to the pack");
}

#[test]
fn a_budget_beyond_the_pack_is_cut_with_a_notice() {
    let page = ready_page("budget=20000");
    assert_eq!(page.settings().budget(), 5000);
    assert!(page.notices.iter().any(|n| n.text(Lang::En) == "budget=20000 is out of range; using 5000"));
}

#[test]
fn reports_pause_a_single_step_and_ask_for_fresh_views() {
    let mut page = ready_page("");
    page.apply(0, configured());
    page.predict(Some(vec![0; 784]));
    let half = |student, accuracy| half_report(student, 1, accuracy);
    assert!(page.apply(0, half(Student::Distilled, 0.5)).is_empty(), "half a report waits for the other");
    assert!(page.reports.is_empty());
    let effects = page.apply(0, half(Student::Baseline, 0.4));
    let report = &page.reports[0];
    assert_eq!((report.distilled.test_accuracy, report.baseline.test_accuracy), (0.5, 0.4));
    assert_eq!(report.examples_per_second, 200.0, "the two students' throughputs add up");
    assert_eq!(sent(&effects), ["DiscardFiles", "Inspect", "Predict"]);
    assert_eq!(page.phase, Phase::Paused);
    assert_eq!(page.reports.len(), 1);
    page.apply(0, configured());
    assert!(page.reports.is_empty(), "fresh students, fresh charts");
}

#[test]
fn an_unknown_teacher_falls_back_and_a_sweep_is_numbered() {
    let mut page = Page::new("teacher=nope&sweep=t:1,2", Lang::En);
    page.set_catalog(catalog(5000));
    assert_eq!(page.settings().teacher, "mnist-mlp");
    assert!(page.notices.iter().any(|n| n.text(Lang::En).contains("there is no teacher `nope`")));
    let effects = page.run_sweep().unwrap();
    match &effects[..] {
        [Effect::Send(Command::Sweep { name, total, points })] => {
            assert_eq!((name.as_str(), *total, points.len(), points[1].0), ("sweep 1", 2, 2, 1))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(page.sweep_progress.unwrap().total, 2);
    page.link.sweep = None;
    assert_eq!(page.run_sweep().unwrap_err(), SweepError::Nothing);
}

#[test]
fn questions_downloaded_for_a_sweep_leave_the_phase_alone() {
    let mut page = ready_page("sweep=ask:own,strokes");
    page.apply(0, configured());
    page.run_sweep().unwrap();
    page.downloading(10, 100);
    assert_eq!(page.phase, Phase::Ready, "the sweep's progress shows it; no Configured would end a Loading");
    page.apply(0, Event::SweepDone);
    page.downloading(10, 100);
    assert_eq!(page.phase, Phase::Loading { loaded: 10, total: 100 }, "for a single run it shows");
}

#[test]
fn weights_are_offered_under_the_students_name() {
    let mut page = ready_page("student=mlp:30-30");
    let effects = page.apply(0, Event::Weights(vec![1, 2]));
    assert_eq!(
        effects,
        [Effect::OfferWeights { name: "student-mlp_30-30-mnist-mlp.safetensors".into(), bytes: vec![1, 2] }]
    );
    page.apply(0, Event::Imported(Err(WorkerError::Training("shape".into()))));
    assert!(matches!(page.import, Some(Err(_))));
}

#[test]
fn a_teacher_of_ones_own_resets_the_students_survives_fresh_workers_and_goes_with_another_teacher() {
    let mut page = ready_page("");
    page.apply(0, configured());
    let effects = page.import_teacher("mine.safetensors".into(), vec![7; 3]);
    assert_eq!(effects, [Effect::Send(Command::ImportTeacher { file: "mine.safetensors".into(), bytes: vec![7; 3] })]);
    let refused = Event::TeacherImported(Err(WorkerError::Teacher("mine.safetensors: too few rows".into())));
    assert_eq!(page.apply(0, refused), [], "a refused file changes nothing");
    assert!(page.own_teacher.is_none() && matches!(page.teacher_import, Some(Err(_))));

    page.import_teacher("mine.safetensors".into(), vec![7; 3]);
    let teacher = ImportedTeacher { file: "mine.safetensors".into(), test_accuracy: 0.915 };
    assert_eq!(sent(&page.apply(0, Event::TeacherImported(Ok(teacher.clone())))), ["Configure"], "fresh students");
    assert_eq!(page.own_teacher.as_ref().map(|(t, f)| (t, f.bytes.len())), Some((&teacher, 3)));

    page.worker_stopped("a crash".into());
    assert_eq!(sent(&page.reset()), ["SpawnWorkers"]);
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "Load", "ImportTeacher", "Configure"], "sent again");
    assert_eq!(page.apply(0, Event::TeacherImported(Ok(teacher))), [], "its Configure is on its way already");
    assert!(page.own_teacher.is_some());

    let mut catalog = catalog(5000);
    catalog.packs.push(PackEntry { teacher: "mnist-cnn".into(), ..catalog.packs[0].clone() });
    page.catalog = Some(catalog);
    assert_eq!(sent(&page.set(find("teacher").unwrap(), "mnist-cnn")), ["Load", "Configure"]);
    assert!(page.own_teacher.is_none() && page.teacher_import.is_none(), "the pack's teacher is back");

    page.import_teacher("late.safetensors".into(), vec![1]);
    page.set(find("teacher").unwrap(), "mnist-mlp");
    let late = ImportedTeacher { file: "late.safetensors".into(), test_accuracy: 0.9 };
    assert_eq!(page.apply(0, Event::TeacherImported(Ok(late))), [], "it went with the old pack");
    assert!(page.own_teacher.is_none() && page.teacher_import.is_none());
}

#[test]
fn an_embedding_page_hears_ready_progress_finished_and_errors_once_each() {
    let mut page = ready_page("student=mlp:30");
    page.apply(0, configured());
    let half = |student, accuracy| half_report(student, 10, accuracy);
    page.apply(0, half(Student::Distilled, 0.9));
    page.apply(0, half(Student::Baseline, 0.8));
    page.apply(0, Event::Finished);
    page.apply(0, Event::Error(WorkerError::Training("a NaN".into())));
    assert_eq!(
        page.to_parent(),
        [
            ToParent::Ready { teacher: "mnist-mlp".into(), student: "mlp:30".into(), total_steps: 10 },
            ToParent::Progress { step: 10, total_steps: 10, distilled: 0.9, baseline: 0.8 },
            ToParent::Finished { distilled: 0.9, baseline: 0.8, teacher: 0.99 },
            ToParent::Error { message: "Training stopped: a NaN".into() },
        ]
    );
    assert_eq!(page.to_parent(), [], "each event is posted once");
}

#[test]
fn an_embedding_page_does_not_hear_the_names_of_the_visitors_files() {
    let mut page = ready_page("");
    page.apply(0, configured());
    page.import_teacher("Maria's thesis model.safetensors".into(), vec![7; 3]);
    let teacher = ImportedTeacher { file: "Maria's thesis model.safetensors".into(), test_accuracy: 0.9 };
    page.apply(0, Event::TeacherImported(Ok(teacher)));
    page.to_parent();
    let why = "Maria's thesis model.safetensors answers about the pack's own images only";
    page.apply(0, Event::Error(WorkerError::Teacher(why.into())));
    assert!(page.problem.as_ref().unwrap().text(Lang::En).contains("Maria's thesis"), "the visitor sees it");
    let [ToParent::Error { message }] = &page.to_parent()[..] else { panic!("one error") };
    assert!(!message.contains("Maria") && message.contains("(the visitor's file) answers about"), "{message}");
}

#[test]
fn the_command_line_runs_the_link_the_page_shows() {
    let page = ready_page("mode=top1&budget=1000&t=2&sweep=t:1,4");
    let command = page.command();
    let query = command.strip_prefix("cargo run -p distill-cli -- run --query '").unwrap().strip_suffix('\'').unwrap();
    assert_eq!(Link::from_query(query), (page.link.clone(), Vec::new()), "{command}");
}

#[test]
fn the_views_change_the_page_through_its_methods() {
    let mut page = ready_page("exclude=3");
    page.shift_bias(3.3);
    assert_eq!(page.link.bias_shift, 3.5, "on the slider's grid, as a link's shift= is");
    page.shift_bias(99.0);
    assert_eq!(page.link.bias_shift, 10.0);
    assert!(page.query().contains("shift=10"));
    page.plan_sweep(Some(crate::sweep::Sweep { vary: crate::sweep::Axis::parse("t:1,2").unwrap(), by: None }));
    assert!(page.query().contains("sweep=t:1,2"));
    page.set_language(Some(Lang::Es));
    assert_eq!(page.language(), Lang::Es);
    page.results.push(crate::results::ResultRow::new("run 1", "distilled", None, page.settings()));
    page.clear_results();
    assert!(page.results.is_empty());
    let pack = page.teacher_pack().map(|pack| (pack.url, pack.train_rows));
    assert_eq!(pack, Some(("packs/mnist-mlp.safetensors?v=0123456789abcdef".into(), 5000)), "named by its content");
}

#[test]
fn kept_rows_come_back_first_and_this_visits_runs_and_sweeps_are_numbered_after_them() {
    let mut page = ready_page("sweep=t:1,2");
    let kept = |run: &str| ResultRow::new(run, "distilled", None, &Settings::default());
    page.restore_results(Ok(vec![kept("run 2"), kept("sweep 3"), kept("run 1")]));
    let row = |run: &str| Event::Result(Box::new(kept(run)));
    assert_eq!(page.apply(0, row("run 1")), [Effect::KeepResults], "every new row is kept");
    match &page.run_sweep().unwrap()[..] {
        [Effect::Send(Command::Sweep { name, .. })] => assert_eq!(name, "sweep 4"),
        other => panic!("{other:?}"),
    }
    let runs: Vec<&str> = page.results.iter().map(|r| r.run.as_str()).collect();
    assert_eq!(runs, ["run 2", "sweep 3", "run 1", "run 3"]);
    assert_eq!(page.clear_results(), [Effect::KeepResults], "an empty table is kept too");
    page.restore_results(Err(KeepError::Refused("SecurityError".into())));
    assert!(page.keep_problem().unwrap().text(Lang::Es).contains("SecurityError"));
}

#[test]
fn a_sweep_ends_with_its_workers_and_an_error_stops_every_workers_sweep() {
    let mut page = ready_page("sweep=t:1,2");
    page.apply(0, configured());
    page.run_sweep().unwrap();
    let effects = page.apply(0, Event::Error(WorkerError::Training("questions file: HTTP 404".into())));
    assert_eq!(sent(&effects), ["Pause", "StopSweep"]);
    assert_eq!(page.sweep_progress(), None, "the panel offers Run again");
    assert_eq!(sent(&page.reset()), ["SpawnWorkers"]);
    // A crash mid-sweep, or another backend: the workers that ran it are gone.
    let mut page = ready_page("sweep=t:1,2");
    page.apply(0, configured());
    page.run_sweep().unwrap();
    page.worker_stopped("a crash".into());
    assert_eq!(page.sweep_progress(), None);
    page.worker_did_not_load();
    assert!(page.problem.as_ref().unwrap().text(Lang::En).contains("could not be loaded"));
    assert_eq!(sent(&page.reset()), ["SpawnWorkers"], "Reset tries again");
}

#[test]
fn a_worker_of_another_version_stops_the_page_with_a_reload_and_keeps_the_rows() {
    let mut page = ready_page("");
    page.apply(0, configured());
    page.add_result(crate::results::ResultRow::new("run 1", "distilled", None, &Settings::default()));
    // After a deploy, a host's cache hands this page the new build's worker.
    let effects = page.apply(0, Event::Ready { protocol: PROTOCOL ^ 1 });
    assert!(effects.is_empty(), "nothing is sent to a worker that would misread it: {effects:?}");
    let message = page.problem.as_ref().unwrap().text(Lang::En);
    assert!(message.contains("another version") && message.contains("Reload the page"), "{message}");
    assert_eq!(page.results().len(), 1, "the rows are kept");
    assert!(!page.can_train());
}

#[test]
fn weights_picked_during_a_two_worker_run_pause_both_workers_first() {
    let mut page = Page::new("backend=cpu", Lang::En);
    page.set_cores(4);
    page.set_catalog(catalog(5000));
    page.apply(0, Event::ready());
    page.apply(1, Event::ready());
    page.apply(0, configured());
    page.press_start();
    let routed: Vec<(usize, String)> = page
        .import_weights(vec![1, 2, 3])
        .into_iter()
        .flat_map(|effect| match effect {
            Effect::Send(command) => page.crew().route(command),
            other => panic!("{other:?}"),
        })
        .map(|(worker, command)| (worker, format!("{command:?}").split('(').next().unwrap().to_string()))
        .collect();
    let expected = [(0, "Pause"), (1, "Pause"), (0, "ImportWeights")].map(|(w, c)| (w, c.to_string()));
    assert_eq!(routed, expected, "both workers pause; the file goes to the distilled student's");
}

#[test]
fn reset_while_a_pack_is_still_coming_starts_fresh_workers() {
    let mut page = ready_page("backend=cpu");
    page.downloading(100, 1000);
    assert_eq!(sent(&page.reset()), ["SpawnWorkers"], "a busy worker would answer only when its download ends");
    assert_eq!(sent(&page.apply(0, Event::ready())), ["Assign", "Load", "Configure"]);
    page.apply(0, configured());
    assert_eq!(sent(&page.reset()), ["Configure"], "a ready worker only needs fresh students");
}

#[test]
fn the_table_draws_the_newest_rows_and_the_downloads_hold_them_all() {
    let mut page = ready_page("");
    for run in 1..=SHOWN_ROWS + 5 {
        page.add_result(crate::results::ResultRow::new(&format!("run {run}"), "distilled", None, &Settings::default()));
    }
    assert_eq!(page.results().len(), SHOWN_ROWS + 5);
    let shown = page.shown_results();
    assert_eq!(
        (shown.len(), shown[0].run.as_str(), shown[SHOWN_ROWS - 1].run.as_str()),
        (SHOWN_ROWS, "run 6", "run 105")
    );
}
