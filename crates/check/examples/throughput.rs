//! Measures scoring throughput on one core: the model layer alone ([`Model::scores`]) and the full
//! check with rules ([`check`]), over the short texts of the public data sets.
//!
//! Rates are given per second of this thread's CPU time (from `/proc/thread-self/schedstat`, so
//! other processes sharing the core do not skew them) and per second of wall-clock time.
//!
//! Usage: `cargo run --release -p rapport-check --example throughput [-- --data DIR]`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use rapport_check::{Context, DraftKind, Model, check, data};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data" => dir = args.next().ok_or("--data needs a folder")?.into(),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let texts: Vec<String> = data::load(&dir)?.into_iter().map(|e| e.text).collect();
    let mean = texts.iter().map(String::len).sum::<usize>() as f64 / texts.len() as f64;
    let model = Model::embedded();
    println!("{} texts, mean {mean:.0} bytes", texts.len());

    let rounds = 5;
    let count = (rounds * texts.len()) as f64;
    println!("{:<32} {:>14} {:>14}", "", "texts/s (cpu)", "texts/s (wall)");
    let (cpu, wall) = timed(|| {
        for _ in 0..rounds {
            for text in &texts {
                black_box(model.scores(black_box(text)));
            }
        }
    });
    println!("{:<32} {:>14.0} {:>14.0}", "model layer (Model::scores)", count / cpu, count / wall);

    let (cpu, wall) = timed(|| {
        for _ in 0..rounds {
            for text in &texts {
                black_box(model.explain(black_box(text), 5));
            }
        }
    });
    println!("{:<32} {:>14.0} {:>14.0}", "model with explanation", count / cpu, count / wall);

    for kind in [DraftKind::Post, DraftKind::Dm] {
        let ctx = Context { kind, ..Context::default() };
        let (cpu, wall) = timed(|| {
            for _ in 0..rounds {
                for text in &texts {
                    black_box(check(black_box(text), &ctx, model));
                }
            }
        });
        let name = format!("full check with rules ({})", kind.as_str());
        println!("{name:<32} {:>14.0} {:>14.0}", count / cpu, count / wall);
    }
    Ok(())
}

/// Runs `f` and returns the seconds of this thread's CPU time and of wall-clock time it took.
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let (cpu, wall) = (thread_cpu_ns(), Instant::now());
    f();
    let wall = wall.elapsed().as_secs_f64();
    let cpu = thread_cpu_ns().zip(cpu).map_or(wall, |(end, start)| (end - start) as f64 / 1e9);
    (cpu, wall)
}

/// Nanoseconds this thread has run on a CPU, from Linux's schedstat.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
