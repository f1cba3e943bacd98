#!/usr/bin/env python3
"""The table of BENCHMARKS.md's distributed section from bench/graph/dist.sh's results.

    bench/graph/dist_table.py [RESULTS] [--since 2026-12-07T12:00]

RESULTS defaults to $GRAPHDATA/dist-results.jsonl. Runs are grouped by size, job and
configuration (the last run of each wins); one Markdown row each: wall seconds (the slowest
process), CPU seconds over all processes, peak RSS of each process, rounds, bytes between
processes and the load averages seen.
"""
import json
import os
import sys

JOBS = {"rank": "PageRank", "components": "components", "communities": "label propagation",
        "recommend-all": "recommend-all"}


def config_name(config):
    kind, n = config.split("-")
    if kind == "memory":
        return f"in memory, {n[:-1]} thread{'s' if n != '1t' else ''}"
    return f"timely, {n[:-1]} process{'es' if n != '1p' else ''}"


def main():
    args = sys.argv[1:]
    since = ""
    if "--since" in args:
        i = args.index("--since")
        since = args[i + 1]
        del args[i:i + 2]
    default = os.path.join(os.environ.get("GRAPHDATA", "/work/targets/graphdata"), "dist-results.jsonl")
    path = args[0] if args else default
    runs, stamp = {}, ""
    for line in open(path):
        if line.startswith("#"):
            # A new run of a configuration replaces the previous one's processes.
            stamp = line.split()[1]
            continue
        if stamp < since:
            continue
        r = json.loads(line)
        key = (r["size"], r["job"], r["config"])
        if key not in runs or runs[key]["stamp"] != stamp:
            runs[key] = {"stamp": stamp, "procs": []}
        runs[key]["procs"].append(r)
    print("| data | job | configuration | wall s | CPU s (all processes) | max RSS per process | rounds | bytes between processes | load |")
    print("|---|---|---|---:|---:|---|---:|---:|---|")
    for (size, job, config), run in sorted(runs.items(), key=lambda kv: (kv[0][0], list(JOBS).index(kv[0][1]), kv[0][2])):
        procs = sorted(run["procs"], key=lambda p: p["process"])
        report = procs[0]["report"]
        timely = isinstance(report, dict) and "rounds" in report
        rounds = report["rounds"] if timely else "–"
        sent = f"{report['bytes_between_processes'] / 1e9:.2f} GB" if timely else "–"
        wall = max(p["wall_s"] for p in procs)
        cpu = sum(p["cpu_s"] for p in procs)
        rss = " / ".join(f"{p['max_rss_mb']:,} MB" for p in procs)
        load = " – ".join(sorted({p["load"] for p in procs}))
        print(f"| {size} | {JOBS[job]} | {config_name(config)} | {wall:.1f} | {cpu:.1f} | {rss} "
              f"| {rounds} | {sent} | {load} |")


main()
