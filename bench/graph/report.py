"""Turns $GRAPHDATA/results.jsonl (written by run.sh) into the markdown tables of
BENCHMARKS.md (graph engine): one row per dataset and operation, one column pair per tool."""

import json
import sys
from collections import OrderedDict

path = sys.argv[1] if len(sys.argv) > 1 else "/work/targets/graphdata/results.jsonl"
rows = OrderedDict()
for line in open(path):
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    op = r["op"]
    if op.endswith("-cpu"):
        key = (r["dataset"], op[:-4])
        rows.setdefault(key, {}).setdefault(r["tool"], {})["cpu_s"] = r["cpu_s"]
        continue
    rows.setdefault((r["dataset"], op), {}).setdefault(r["tool"], {}).update(r)

tools = ["rapport", "networkit", "igraph"]
print("| dataset | operation | " + " | ".join(f"{t} wall s | {t} CPU s" for t in tools) + " | notes |")
print("|---|---|" + "---|---|" * len(tools) + "---|")
for (dataset, op), by_tool in rows.items():
    if op in ("query", "skipped"):
        continue
    cells, notes = [], []
    for t in tools:
        r = by_tool.get(t)
        if not r:
            cells += ["–", "–"]
            continue
        cells += [f"{r['seconds']:.2f}" if "seconds" in r else "–", f"{r['cpu_s']:.2f}" if "cpu_s" in r else "–"]
        if "modularity" in r:
            notes.append(f"{t} Q={r['modularity']:.4f} ({r['communities']} comms)")
        if op == "pagerank" and "iterations" in r:
            notes.append(f"{t} {r['iterations']} it")
        if op == "load" and "peak_rss_mb" in r:
            extra = f", {r['bytes_per_edge']:.2f} B/edge CSR" if "bytes_per_edge" in r else ""
            notes.append(f"{t} RSS {r['peak_rss_mb']:.0f} MB{extra}")
    print(f"| {dataset} | {op} | " + " | ".join(cells) + " | " + "; ".join(notes) + " |")
for (dataset, op), by_tool in rows.items():
    if op == "query":
        r = by_tool["rapport"]
        print(f"\nDiscover query on {dataset}: p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, max {r['max_ms']:.2f} ms over {r['queries']} random users.")
