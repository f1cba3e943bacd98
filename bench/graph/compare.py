"""Times NetworKit or igraph on one undirected edge-list file (tab-separated, no header).

Prints one JSON object per measurement, in the same shape as the Rust bench driver:
  python compare.py networkit FILE [--threads 2] [--tolerance 1e-8]
  python compare.py igraph FILE
"""

import argparse
import json
import resource
import time


_cpu = [0.0]


def emit(**fields):
    # CPU seconds of all threads since the previous measurement: steadier than wall time on a
    # shared machine.
    now = time.process_time()
    fields["cpu_s"] = round(now - _cpu[0], 2)
    _cpu[0] = now
    print(json.dumps(fields), flush=True)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_networkit(path, threads, tolerance, skip):
    import networkit as nk

    nk.setNumberOfThreads(threads)
    t, _cpu[0] = time.perf_counter(), time.process_time()
    reader = nk.graphio.EdgeListReader("\t", 0, commentPrefix="#", continuous=False, directed=False)
    g = reader.read(path)
    emit(op="load", seconds=time.perf_counter() - t, nodes=g.numberOfNodes(), edges=g.numberOfEdges(),
         peak_rss_mb=peak_rss_mb())

    t, _cpu[0] = time.perf_counter(), time.process_time()
    pr = nk.centrality.PageRank(g, damp=0.85, tol=tolerance)
    pr.norm = nk.centrality.Norm.L1_NORM
    pr.run()
    emit(op="pagerank", seconds=time.perf_counter() - t, iterations=pr.numberOfIterations())

    if "leiden" not in skip:
        t, _cpu[0] = time.perf_counter(), time.process_time()
        leiden = nk.community.ParallelLeiden(g, iterations=3, randomize=True, gamma=1.0)
        leiden.run()
        seconds = time.perf_counter() - t
        part = leiden.getPartition()
        emit(op="leiden", seconds=seconds, communities=part.numberOfSubsets(),
             modularity=nk.community.Modularity().getQuality(part, g))

    if "plm" not in skip:
        t, _cpu[0] = time.perf_counter(), time.process_time()
        plm = nk.community.PLM(g, refine=True, gamma=1.0)
        plm.run()
        seconds = time.perf_counter() - t
        part = plm.getPartition()
        emit(op="plm", seconds=seconds, communities=part.numberOfSubsets(),
             modularity=nk.community.Modularity().getQuality(part, g))

    t, _cpu[0] = time.perf_counter(), time.process_time()
    cc = nk.components.ConnectedComponents(g)
    cc.run()
    emit(op="components", seconds=time.perf_counter() - t, count=cc.numberOfComponents(),
         peak_rss_mb=peak_rss_mb())


def run_igraph(path, skip):
    import igraph as ig

    t, _cpu[0] = time.perf_counter(), time.process_time()
    g = ig.Graph.Read_Edgelist(path, directed=False)
    emit(op="load", seconds=time.perf_counter() - t, nodes=g.vcount(), edges=g.ecount(),
         peak_rss_mb=peak_rss_mb())

    t, _cpu[0] = time.perf_counter(), time.process_time()
    g.pagerank(damping=0.85, implementation="prpack")
    emit(op="pagerank", seconds=time.perf_counter() - t, note="PRPACK direct solver, no tolerance")

    if "leiden" not in skip:
        t, _cpu[0] = time.perf_counter(), time.process_time()
        part = g.community_leiden(objective_function="modularity", n_iterations=2)
        emit(op="leiden", seconds=time.perf_counter() - t, communities=len(part),
             modularity=g.modularity(part.membership))

    if "louvain" not in skip:
        t, _cpu[0] = time.perf_counter(), time.process_time()
        part = g.community_multilevel()
        emit(op="louvain", seconds=time.perf_counter() - t, communities=len(part),
             modularity=g.modularity(part.membership))

    t, _cpu[0] = time.perf_counter(), time.process_time()
    cc = g.connected_components(mode="weak")
    emit(op="components", seconds=time.perf_counter() - t, count=len(cc), peak_rss_mb=peak_rss_mb())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=["networkit", "igraph"])
    parser.add_argument("file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tolerance", type=float, default=1e-8)
    parser.add_argument("--skip", default="", help="comma-separated ops to skip")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if args.tool == "networkit":
        run_networkit(args.file, args.threads, args.tolerance, skip)
    else:
        run_igraph(args.file, skip)


if __name__ == "__main__":
    main()
