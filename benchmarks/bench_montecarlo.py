"""Benchmark: Monte Carlo of eo13768 against its baseline, all provisions.

Run on demand (not part of the test suite)::

    python benchmarks/bench_montecarlo.py --draws 1000000

Each configuration runs in a fresh subprocess so its peak resident memory
(``ru_maxrss``) is its own. Target (issue #3): 1,000,000 draws in at most 5 s
and 2 GiB peak memory on the 2-core machine.
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
    draws, block, detail = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    sc = ec.load_scenario("eo13768")
    ec.evaluate(sc)  # warm caches (registry, CPI, inverse CDFs are built on first use)
    t0 = time.perf_counter()
    res = ec.simulate(sc, draws=draws, seed=1, block_size=block, detail=detail)
    total = res.total("federal")
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    print(json.dumps({"draws": draws, "block_size": block, "detail": detail,
                      "kept": sorted(set(res.lines["provision"]))[:3],
                      "seconds": round(elapsed, 2), "peak_gib": round(peak, 3),
                      "federal_mean_billion": round(float(total.mean()) / 1e9, 3)}))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--block-size", type=int, default=1 << 15)
    parser.add_argument("--detail", default="auto")
    args = parser.parse_args()
    for draws in args.draws:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(draws), str(args.block_size), args.detail],
            check=True, capture_output=True, text=True,
        )
        print(json.dumps(json.loads(out.stdout.strip().splitlines()[-1])))


if __name__ == "__main__":
    main()
