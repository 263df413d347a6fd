"""Benchmark: in-process against local processes, by size: where the default backend switches.

Run on demand (not part of the test suite)::

    python benchmarks/bench_auto_backend.py                  # simulate, 1e3 .. 1e6 draws
    python benchmarks/bench_auto_backend.py --detail summary # reduction-only simulations
    python benchmarks/bench_auto_backend.py --study          # Sobol' studies, by model runs

Each size and backend runs in a fresh process (``python -c``), as a user's
first study does, on the default backend forced by ``ENFORCECOST_BACKEND``
(``inprocess`` or ``processes``: what the default would choose, with its
block sizes): the time of ``processes`` (one worker per core) includes
starting the pool (the fork server importing the model and warming its
caches, then the workers), and that of ``inprocess`` building the caches the
first study reads (inverse CDFs). A second study in the same process is timed
too (its fork server is already up, but each study starts its own pool).
``simulate`` runs eo13768 against its baseline with ``detail`` (default
``auto``) and the default ``block_size`` (on processes: four blocks per
worker); ``--study`` runs ``ec.sobol(sc, "federal", by_source=False)`` for
growing ``n``. Every configuration prints a digest of the result, which must
be the same on every backend. The default backend's thresholds
(``enforcecost.backends.PARALLEL_MIN_DRAWS``, ``PARALLEL_MIN_RUNS`` and
``enforcecost.model._limits.PARALLEL_DETAILS``) quote these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import hashlib, json, os, sys, time
    import numpy as np
    import enforcecost as ec
    kind, size, backend, detail = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    assert os.environ["ENFORCECOST_BACKEND"] == backend  # the default, forced either way
    sc = ec.load_scenario("eo13768")
    ec.evaluate(sc)  # the registry and CPI, as in any session that has loaded a scenario

    def once():
        t0 = time.perf_counter()
        if kind == "simulate":
            res = ec.simulate(sc, draws=size, seed=1, detail=detail)
            runs = size
            key = np.asarray([res.mean_total("federal"),
                              *np.asarray(res.quantile([0.05, 0.5, 0.95], "federal"))])
        else:
            res = ec.sobol(sc, "federal", n=size, seed=1, by_source=False)
            runs = res.result.evaluations
            key = res.to_frame()[["S1", "ST"]].to_numpy()
        seconds = time.perf_counter() - t0
        digest = hashlib.sha256(np.ascontiguousarray(key).tobytes()).hexdigest()[:12]
        return runs, seconds, digest, getattr(res, "detail", "")

    runs, first, digest, kept = once()
    second = once()[1]
    print(json.dumps({"kind": kind, "size": size, "runs": runs, "backend": backend,
                      "detail": kept,
                      "seconds": round(first, 2),
                      "seconds_2nd": round(second, 2),
                      "digest": digest}))
    """
)

DRAWS = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
SOBOL_N = [128, 512, 2048]  # 16 replicates; runs = n (d + 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", action="store_true",
                        help="Sobol' studies (n base points) instead of simulate (draws)")
    parser.add_argument("--detail", default="auto",
                        help="simulate's detail (default auto: per-draw detail up to 1 GiB)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="fresh processes per configuration; the fastest is reported "
                        "(the machine's other load only ever adds time)")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help=f"draws (default {DRAWS}) or Sobol' n (default {SOBOL_N})")
    args = parser.parse_args()
    kind = "sobol" if args.study else "simulate"
    sizes = args.sizes or (SOBOL_N if args.study else DRAWS)
    rows = []
    for size in sizes:
        for backend in ("inprocess", "processes"):
            runs = []
            for _ in range(max(args.repeat, 1)):
                out = subprocess.run([sys.executable, "-c", CHILD, kind, str(size), backend,
                                      args.detail], check=True, capture_output=True, text=True,
                                     env={**os.environ, "ENFORCECOST_BACKEND": backend})
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(json.dumps(runs[-1]), flush=True)
            row = dict(runs[0])
            row["seconds"] = min(r["seconds"] for r in runs)
            row["seconds_2nd"] = min(r["seconds_2nd"] for r in runs)
            assert len({r["digest"] for r in runs}) == 1
            rows.append(row)
    print()
    print(f"seconds (fastest of {max(args.repeat, 1)}): first study in a fresh process / "
          "second study in the same process")
    print(f"{'runs':>10}  {'detail':>10}  {'in-process':>13}  {'processes':>13}  same bits")
    for a, b in zip(rows[::2], rows[1::2], strict=True):
        print(f"{a['runs']:>10,}  {a['detail']:>10}  {a['seconds']:>6.2f} {a['seconds_2nd']:>6.2f}"
              f"  {b['seconds']:>6.2f} {b['seconds_2nd']:>6.2f}  {a['digest'] == b['digest']}")


if __name__ == "__main__":
    main()
