"""Benchmark: Monte Carlo of eo13768 against its baseline, all provisions.

Run on demand (not part of the test suite)::

    python benchmarks/bench_montecarlo.py --draws 1000000

Each configuration runs in a fresh subprocess so its peak resident memory
(``ru_maxrss``) is its own (``--workers 2``: local worker processes, started
before the clock; their memory is reported by ``bench_scale.py``). Target
(issue #3): 1,000,000 draws in at most 5 s and 2 GiB peak memory on the
2-core machine. The default ``detail='auto'`` keeps per-draw detail up to
1 GiB and otherwise reduction-only results (1,000,000 draws of eo13768 are
just over: reduction-only).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    import enforcecost as ec
    draws, block, detail, workers = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3],
                                     int(sys.argv[4]))
    sc = ec.load_scenario("eo13768")
    ec.evaluate(sc)  # warm the registry and CPI (inverse CDFs are built in the timed run)
    backend = None
    if workers > 1:
        from enforcecost.parallel import Processes
        backend = Processes(workers)
        list(backend.map_blocks(abs, range(workers)))  # start the workers
    t0 = time.perf_counter()
    res = ec.simulate(sc, draws=draws, seed=1, block_size=block, detail=detail,
                      backend=backend)
    mean = res.mean_total("federal")
    p5, p95 = res.quantile([0.05, 0.95], "federal")
    elapsed = time.perf_counter() - t0
    if backend is not None:
        backend.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    print(json.dumps({"draws": draws, "block_size": block, "detail": res.detail,
                      "workers": workers, "seconds": round(elapsed, 2),
                      "peak_gib_client": round(peak, 3),
                      "federal_mean_billion": round(mean / 1e9, 3),
                      "federal_p5_p95_billion": [round(p5 / 1e9, 3), round(p95 / 1e9, 3)]}))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--block-size", type=int, default=1 << 15)
    parser.add_argument("--detail", default="auto")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="1: in-process; N > 1: N local worker processes")
    args = parser.parse_args()
    for draws in args.draws:
        for workers in args.workers:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(draws), str(args.block_size), args.detail,
                 str(workers)],
                check=True, capture_output=True, text=True,
            )
            print(json.dumps(json.loads(out.stdout.strip().splitlines()[-1])))


if __name__ == "__main__":
    main()
