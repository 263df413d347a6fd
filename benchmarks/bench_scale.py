"""Benchmark: large Monte Carlo studies of eo13768 against its baseline, by backend.

Run on demand (not part of the test suite)::

    python benchmarks/bench_scale.py                       # 1e5, 1e6, 1e7 draws
    python benchmarks/bench_scale.py --draws 10000000 --backends inprocess dask

Backends: ``inprocess`` (one process, asked for explicitly: ``simulate``'s
default now runs large summary studies on local processes), ``inprocess-tuned`` (the
same after :func:`enforcecost.parallel.tune_malloc`), ``processes`` (local worker
processes, started before the clock: their start-up, including the server they
fork from importing the model and building the registry's inverse CDFs, is
reported apart), ``processes-cold`` (``simulate(workers=N)`` in a fresh process:
the clock includes all of that start-up, the first study's experience) and
``dask``: an external cluster started as the README says (``dask scheduler``
and ``dask worker ... --preload enforcecost.parallel`` subprocesses on
127.0.0.1), which the study reaches by its address.

Each configuration runs in a fresh subprocess, so each process's peak resident
memory (``ru_maxrss``) is its own: the client's, and for Dask each worker's
and the scheduler's (asked with ``client.run``); for local processes each
worker's high-water mark (``VmHWM`` in ``/proc/<pid>/status``, Linux).
Targets (issue #5): 10,000,000 draws with at most 1 GiB per process, time
growing linearly with the draws, and two local workers faster than one
process. Every size runs with
``detail='summary'`` (what ``auto`` picks for 10,000,000 draws) so that the
times compare; ``--detail auto`` measures the default instead.

Reported: wall seconds of ``simulate`` (cluster or pool start-up reported
apart), seconds per million draws, CPU seconds of every process during the
study (client: simulate and the views: ``summary()`` by window and by year,
``quantile()``, ``table()``), peak memory per process (MiB), the detail kept,
the size of a reduction-only result's distributions (quantile sketch channels,
occupied buckets, MiB: fixed, whatever the draws), and the mean (exact),
5th/95th percentiles (``Result.quantile``), standard deviation and standard
error of p5 of the federal window total, as a check that every configuration
computes the same thing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time, warnings
    import enforcecost as ec
    from enforcecost.results import PrecisionWarning

    def mib(kib):
        return round(kib / 1024, 1)

    draws, backend, workers, block, detail = (int(sys.argv[1]), sys.argv[2],
                                              int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    sc = ec.load_scenario("eo13768")
    ec.evaluate(sc)  # warm the registry and CPI (inverse CDFs are built in the timed run)
    kwargs = {"detail": detail}
    if block > 0:
        kwargs["block_size"] = block
    startup = 0.0
    client = pool = None
    procs = []
    t0 = time.perf_counter()
    if backend in ("inprocess", "inprocess-tuned"):
        kwargs["backend"] = "inprocess"  # not the default's choice, which may be processes
    if backend == "inprocess-tuned":
        from enforcecost.parallel import tune_malloc
        tune_malloc()
    if backend == "dask":  # an external cluster, as in the README: scheduler and workers
        import os.path, subprocess, tempfile
        from distributed import Client
        sched_file = os.path.join(tempfile.mkdtemp(), "scheduler.json")
        procs.append(subprocess.Popen(
            ["dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--dashboard-address", "127.0.0.1:0", "--scheduler-file", sched_file],
            stderr=subprocess.DEVNULL))
        while not os.path.exists(sched_file):
            time.sleep(0.1)
        time.sleep(0.5)
        with open(sched_file) as f:
            address = json.load(f)["address"]
        procs.append(subprocess.Popen(
            ["dask", "worker", address, "--nworkers", str(workers), "--nthreads", "1",
             "--no-dashboard", "--preload", "enforcecost.parallel"],
            stderr=subprocess.DEVNULL))
        client = Client(address, set_as_default=False)  # to measure; the study connects itself
        client.wait_for_workers(workers)
        client.run(lambda: __import__("enforcecost.model"))  # workers import the model
        kwargs["scheduler"] = address
    elif backend == "processes-cold":  # simulate starts (and closes) the pool itself
        kwargs["workers"] = workers
    elif backend == "processes":
        from enforcecost.parallel import Processes
        pool = Processes(workers)
        list(pool.map_blocks(abs, range(workers)))  # start the workers
        kwargs["backend"] = pool
    startup = time.perf_counter() - t0

    def usage():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_maxrss, r.ru_utime + r.ru_stime

    def proc_usage(pid):  # a pool worker: a child of the forkserver, not of this process
        with open(f"/proc/{pid}/status") as f:
            hwm = next(line for line in f if line.startswith("VmHWM:"))
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(hwm.split()[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def workers_usage():
        if client is not None:
            return dict(client.run(usage))
        if pool is not None:
            return {pid: proc_usage(pid) for pid in pool._pool._processes}
        return {}

    before = workers_usage()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    res = ec.simulate(sc, draws=draws, seed=1, **kwargs)
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        row = res.summary().loc[("federal", "all")]
        res.summary(by="year")
    p5, p95 = res.quantile([0.05, 0.95], "federal")
    mean = res.mean_total("federal")
    res.table("federal")
    views = time.perf_counter() - t0
    totals = res.reduced.totals if res.reduced is not None else None
    cpu_client = time.process_time() - cpu0
    after = workers_usage()
    worker_peaks = [mib(peak) for peak, _ in after.values()]
    worker_cpu = [round(after[w][1] - before.get(w, (0, 0.0))[1], 1) for w in after]
    if client is not None:
        scheduler_peak = mib(client.run_on_scheduler(usage)[0])
        client.close()
        for p in reversed(procs):
            p.terminate()
            p.wait()
    if pool is not None:
        pool.close()
    client_peak = mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    peaks = [client_peak, *worker_peaks]
    if client is not None:
        peaks.append(scheduler_peak)
    print(json.dumps({
        "draws": draws, "backend": backend,
        "workers": workers if backend in ("processes", "dask") else 1,
        "block_size": block if block > 0 else "default", "detail": res.detail,
        "startup_s": round(startup, 1), "simulate_s": round(seconds, 1),
        "s_per_million": round(seconds / draws * 1e6, 2), "views_s": round(views, 1),
        "cpu_client_s": round(cpu_client, 1), "cpu_workers_s": worker_cpu,
        "peak_client_mib": client_peak, "peak_workers_mib": worker_peaks,
        "peak_scheduler_mib": scheduler_peak if client is not None else None,
        "max_peak_mib": max(peaks), "within_1_gib": max(peaks) <= 1024,
        "sketch_channels": totals.sketch.channels if totals is not None else None,
        "sketch_occupied_buckets": totals.sketch.occupied if totals is not None else None,
        "sketch_mib": round(totals.nbytes / 2**20, 1) if totals is not None else None,
        "federal_mean_billion": round(mean / 1e9, 4),
        "federal_p5_billion": round(float(p5) / 1e9, 4),
        "federal_p95_billion": round(float(p95) / 1e9, 4),
        "federal_sd_billion": round(float(row["sd"]) / 1e9, 4),
        "federal_p5_se_million": round(float(row["p5_se"]) / 1e6, 3),
    }))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+",
                        default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--backends", nargs="+", default=["inprocess", "processes", "dask"],
                        choices=["inprocess", "inprocess-tuned", "processes", "processes-cold",
                                 "dask"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--block-size", type=int, default=0,
                        help="draws per task (default: simulate's)")
    parser.add_argument("--detail", default="summary",
                        choices=["summary", "auto", "lines", "provisions", "payers"])
    args = parser.parse_args()
    for draws in args.draws:
        for backend in args.backends:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(draws), backend, str(args.workers),
                 str(args.block_size), args.detail],
                check=True, capture_output=True, text=True,
            )
            print(json.dumps(json.loads(out.stdout.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
