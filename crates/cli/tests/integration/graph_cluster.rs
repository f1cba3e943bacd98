//! `rapport graph ... --processes N`: real processes of the built binary talking over TCP on
//! loopback, against the in-memory path; and what every process does when one dies or never
//! comes up.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Sandbox, arg};

/// A hosts file of `processes` free loopback ports (bound to port 0 and read back).
fn hosts_file(s: &Sandbox, processes: usize) -> PathBuf {
    let listeners: Vec<TcpListener> =
        (0..processes).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let lines: String =
        listeners.iter().map(|l| format!("{}\n", l.local_addr().unwrap())).collect();
    s.file("hosts.txt", lines)
}

/// Starts process `process` of a job with `args`.
fn start(s: &Sandbox, hosts: &Path, processes: usize, process: usize, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("rapport"))
        .current_dir(s.dir.path())
        .args(["graph"])
        .args(args)
        .args(["--processes", &processes.to_string(), "--process", &process.to_string()])
        .args(["--hosts", arg(hosts), "--connect-timeout", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child` at most `limit`, killing it past that (so a hung job fails the test
/// instead of hanging it).
fn finish(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("still running after {limit:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn random_graph(s: &Sandbox) -> PathBuf {
    let mut x: u64 = 7;
    let mut next = move || {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % 300 * 3
    };
    let text: String = (0..1500).map(|_| format!("{} {}\n", next(), next())).collect();
    s.file("edges.txt", text)
}

#[test]
fn three_processes_rank_like_the_in_memory_engine() {
    let s = Sandbox::new();
    let file = random_graph(&s);
    let hosts = hosts_file(&s, 3);
    let out = s.dir.path().join("out");
    let job = ["rank", arg(&file), "--directed", "--iterations", "200", "--output-dir", arg(&out)];
    let children: Vec<Child> = (0..3).map(|p| start(&s, &hosts, 3, p, &job)).collect();
    for child in children {
        let output = finish(child, Duration::from_secs(120));
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut scores: HashMap<u64, f64> = HashMap::new();
    for p in 0..3 {
        let text = std::fs::read_to_string(out.join(format!("out.{p}"))).unwrap();
        for line in text.lines() {
            let (node, score) = line.split_once('\t').unwrap();
            scores.insert(node.parse().unwrap(), score.parse().unwrap());
        }
    }
    // In memory, a zero tolerance runs the engine's 200 iterations.
    let memory = s
        .rapport(&["graph", "rank", arg(&file), "--directed", "--tolerance", "0"])
        .args(["--limit", "100000", "--format", "json"])
        .output()
        .unwrap();
    assert!(memory.status.success(), "{}", String::from_utf8_lossy(&memory.stderr));
    let report: serde_json::Value = serde_json::from_slice(&memory.stdout).unwrap();
    let rows = report["results"].as_array().unwrap();
    assert_eq!(rows.len(), scores.len(), "one line per node over the three files");
    let l1: f64 = rows
        .iter()
        .map(|r| (r["score"].as_f64().unwrap() - scores[&r["node"].as_u64().unwrap()]).abs())
        .sum();
    // The JSON listing rounds scores to six decimals, so compare at that precision per node.
    assert!(l1 < 1e-6 * rows.len() as f64, "L1 {l1}");
}

/// Issue 16: `recommend-all` on three processes, each holding a third of the rows and fetching
/// the others over TCP, writes the lines one process holding every row writes (which the dist
/// crate's tests hold to the in-memory ranking bit for bit).
#[test]
fn three_processes_recommend_like_one_holding_every_row() {
    let s = Sandbox::new();
    let file = random_graph(&s);
    let users = s.file("users.txt", (0..120).map(|i| format!("{}\n", i * 3)).collect::<String>());
    let job = |out: &Path| {
        ["recommend-all", arg(&file), "--directed", "--users", arg(&users), "--limit", "5"]
            .into_iter()
            .map(str::to_owned)
            .chain([
                "--output-dir".to_owned(),
                arg(out).to_owned(),
                "--format".into(),
                "json".into(),
            ])
            .collect::<Vec<String>>()
    };
    let lines = |dir: &Path| {
        let mut lines: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flat_map(|f| {
                std::fs::read_to_string(f.unwrap().path())
                    .unwrap()
                    .lines()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        // Each user's lines stay in ranked order: sort by user only.
        lines.sort_by_key(|l| l.split('\t').next().unwrap().parse::<u64>().unwrap());
        lines
    };
    let one = s.dir.path().join("one");
    let alone =
        s.rapport(&[]).args(["graph"]).args(job(&one)).args(["--workers", "1"]).output().unwrap();
    let alone = report(&alone);
    assert_eq!(alone["rows_fetched"], 0);

    let hosts = hosts_file(&s, 3);
    let three = s.dir.path().join("three");
    let args = job(&three);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let children: Vec<Child> = (0..3).map(|p| start(&s, &hosts, 3, p, &args)).collect();
    let reports: Vec<serde_json::Value> =
        children.into_iter().map(|c| report(&finish(c, Duration::from_secs(120)))).collect();
    assert!(reports[0]["rows_fetched"].as_u64().unwrap() > 0, "{}", reports[0]);
    assert!(reports[0]["bytes_between_processes"].as_u64().unwrap() > 0, "{}", reports[0]);
    assert_eq!(reports[0]["users"], 120);
    assert_eq!(lines(&three), lines(&one));
    assert_eq!(lines(&one).len() as u64, alone["lines_written"].as_u64().unwrap());
}

#[test]
fn a_killed_process_stops_every_other_with_a_clear_error() {
    let s = Sandbox::new();
    let file = random_graph(&s);
    let hosts = hosts_file(&s, 3);
    let out = s.dir.path().join("out");
    // Enough iterations to run for minutes unless stopped.
    let job = ["rank", arg(&file), "--iterations", "10000000", "--output-dir", arg(&out)];
    let mut children: Vec<Child> = (0..3).map(|p| start(&s, &hosts, 3, p, &job)).collect();
    std::thread::sleep(Duration::from_secs(3));
    let mut victim = children.pop().unwrap();
    victim.kill().unwrap();
    victim.wait().unwrap();
    for child in children {
        let output = finish(child, Duration::from_secs(60));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{stderr}");
        assert!(stderr.contains("lost the connection to another process"), "{stderr}");
    }
    let written: Vec<_> =
        std::fs::read_dir(&out).map(|d| d.flatten().collect()).unwrap_or_default();
    assert!(
        written.iter().all(|e| !e.file_name().to_string_lossy().starts_with("out.")),
        "no out.W file after a failed job"
    );
}

#[test]
fn a_process_that_never_comes_up_fails_the_others_after_the_timeout() {
    let s = Sandbox::new();
    let file = random_graph(&s);
    let hosts = hosts_file(&s, 2);
    // Process 1 dials process 0, which is never started.
    let child = Command::new(assert_cmd::cargo::cargo_bin("rapport"))
        .current_dir(s.dir.path())
        .args(["graph", "components", arg(&file), "--processes", "2", "--process", "1"])
        .args(["--hosts", arg(&hosts), "--connect-timeout", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = finish(child, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("could not connect to every process"), "{stderr}");
}

/// The `components` JSON report of one process, which must be the whole of its standard output.
fn report(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one report ({e}): {stdout}"))
}

#[test]
fn a_cluster_file_runs_parts_across_processes_with_only_results_on_stdout() {
    let s = Sandbox::new();
    let file = random_graph(&s);
    // The same edges as three parts, read by two processes: parts 0 and 2, then part 1.
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let parts = s.dir.path().join("parts");
    std::fs::create_dir(&parts).unwrap();
    for (i, chunk) in lines.chunks(600).enumerate() {
        std::fs::write(parts.join(format!("part-{i}")), chunk.join("\n") + "\n").unwrap();
    }
    let cluster = hosts_file(&s, 2);
    let out = s.dir.path().join("out");
    let run = |process: usize| {
        Command::new(assert_cmd::cargo::cargo_bin("rapport"))
            .current_dir(s.dir.path())
            .args(["graph", "components", arg(&parts.join("part-*")), "--format", "json"])
            .args(["--cluster", arg(&cluster), "--process", &process.to_string()])
            .args(["--connect-timeout", "30", "--output-dir", arg(&out)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Process 1 starts first and waits for process 0: its waiting goes to stderr.
    let second = run(1);
    std::thread::sleep(Duration::from_millis(1500));
    let first = run(0);
    let (first, second) =
        (finish(first, Duration::from_secs(120)), finish(second, Duration::from_secs(120)));
    assert!(String::from_utf8_lossy(&second.stderr).contains("waiting for process 0"));
    let (a, b) = (report(&first), report(&second));
    assert_eq!(a["processes"], 2);
    let single = s
        .rapport(&["graph", "components", arg(&file), "--workers", "1", "--format", "json"])
        .output()
        .unwrap();
    let single = report(&single);
    for r in [&a, &b] {
        assert_eq!(r["components"], single["components"]);
        assert_eq!(r["nodes"], single["nodes"]);
    }
    let labelled: usize = (0..2)
        .map(|p| std::fs::read_to_string(out.join(format!("out.{p}"))).unwrap().lines().count())
        .sum();
    assert_eq!(labelled as u64, single["nodes"].as_u64().unwrap());
}

#[test]
fn a_bad_cluster_file_line_is_named() {
    let s = Sandbox::new();
    let file = random_graph(&s);
    let cluster = s.file("cluster.txt", "127.0.0.1:4000\n# a comment\nlocalhost\n");
    let output = s
        .rapport(&["graph", "rank", arg(&file), "--cluster", arg(&cluster), "--process", "0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cluster.txt:3") && stderr.contains("host:port"), "{stderr}");
}
