//! Execution plans on bge-small-en-v1.5 (issue 21): parallel runs give single-run's vectors, "auto" measures
//! both at load, remembers its choice in the plan cache and reads it back at the next load, and a corrupt cache
//! file is measured again instead of failing.

use fastembed_engine::{ModelOptions, PlanKind, PlanSource, TextEmbedder};
use fastembed_reliability::files;
use std::path::{Path, PathBuf};

fn bge(plan: &str, more: ModelOptions) -> TextEmbedder {
    files::init_runtime();
    let (model, tokenizer) = files::bge_small();
    TextEmbedder::new(&ModelOptions {
        model_file: Some(model),
        tokenizer_file: Some(tokenizer),
        plan: Some(plan.into()),
        ..more
    })
    .expect("load bge-small")
}

fn cache_dir(name: &str) -> PathBuf {
    let dir = files::work_dir().join(format!("plan-cache-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn plan_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn parallel_runs_give_the_vectors_of_single_run() {
    // Small runs so that one call is many batches, spread over both workers.
    let small_runs = || ModelOptions {
        token_budget: Some(64),
        ..ModelOptions::default()
    };
    let single = bge("single-run", small_runs());
    let parallel = bge(
        "parallel-runs",
        ModelOptions {
            parallel_runs: Some(2),
            threads: Some(1),
            ..small_runs()
        },
    );
    assert_eq!(single.plan().kind, PlanKind::SingleRun);
    assert_eq!(single.plan().source, PlanSource::Configured);
    let plan = parallel.plan();
    assert_eq!(
        (plan.kind, plan.runs, plan.threads_per_run),
        (PlanKind::ParallelRuns, 2, 1)
    );
    assert_eq!((plan.token_budget, plan.source), (64, PlanSource::Configured));

    let texts: Vec<String> = (0..40)
        .map(|i| format!("text {i}: ") + &"a few words about pandas and bamboo ".repeat(1 + i % 7))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let expected = single.embed(&refs).unwrap();
    let actual = parallel.embed(&refs).unwrap();
    assert_eq!(actual.len(), expected.len());
    for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
        let worst = a.iter().zip(e).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
        assert!(worst <= 1e-6, "text {i}: differs by {worst}");
    }
}

#[test]
fn auto_calibrates_caches_reads_back_and_recalibrates_a_corrupt_cache() {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        let plan = bge("auto", ModelOptions::default()).plan().clone();
        assert_eq!((plan.kind, plan.calibration), (PlanKind::SingleRun, None));
        assert!(plan.note.is_some(), "one core: auto says why it did not measure");
        return;
    }
    let dir = cache_dir("auto");
    let cached = || ModelOptions {
        plan_cache_dir: Some(dir.clone()),
        ..ModelOptions::default()
    };
    let first = bge("auto", cached()).plan().clone();
    assert_eq!(first.source, PlanSource::Calibrated, "{first:?}");
    let timings = first.calibration.expect("auto measured both plans");
    assert!(
        timings.single_run_ms > 0.0 && timings.parallel_runs_ms > 0.0,
        "{timings:?}"
    );
    assert_eq!(first.kind, timings.winner(fastembed_engine::plan::PARALLEL_MARGIN));
    println!("bge-small-en-v1.5 auto plan: {}", first.to_json());
    let written = plan_files(&dir);
    assert_eq!(written.len(), 1, "one cache file: {written:?}");

    let second = bge("auto", cached()).plan().clone();
    assert_eq!(
        second.source,
        PlanSource::Cached,
        "the second load reads the plan instead of measuring"
    );
    assert_eq!(
        (second.kind, second.runs, second.threads_per_run),
        (first.kind, first.runs, first.threads_per_run)
    );
    assert_eq!(
        second.calibration, first.calibration,
        "the cached timings are the ones measured"
    );

    std::fs::write(&written[0], "{ not json").unwrap();
    let third = bge("auto", cached()).plan().clone();
    assert_eq!(
        third.source,
        PlanSource::Calibrated,
        "a corrupt cache file is measured again"
    );
    assert!(third.calibration.is_some());
    assert_eq!(bge("auto", cached()).plan().source, PlanSource::Cached, "and rewritten");

    // A pinned option is part of the key: the plan measured without it does not apply.
    let pinned = bge(
        "auto",
        ModelOptions {
            token_budget: Some(512),
            ..cached()
        },
    );
    assert_eq!(pinned.plan().source, PlanSource::Calibrated);
    assert_eq!(pinned.plan().token_budget, 512);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unwritable_cache_folder_costs_a_calibration_not_the_load() {
    let file = cache_dir("unwritable");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "a file where the folder should be").unwrap();
    let model = bge(
        "auto",
        ModelOptions {
            plan_cache_dir: Some(file.clone()),
            ..ModelOptions::default()
        },
    );
    assert_ne!(model.plan().source, PlanSource::Cached);
    assert_eq!(model.embed(&["hello world"]).unwrap()[0].len(), 384);
    std::fs::remove_file(&file).unwrap();
}
