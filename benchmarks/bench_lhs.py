"""Benchmark: time of a Latin hypercube design against its draws (issue #10: linear, not quadratic).

Run on demand (not part of the test suite)::

    python benchmarks/bench_lhs.py
    python benchmarks/bench_lhs.py --draws 100000 200000 --old-max 200000 --simulate

Times ``design(d, n, sampler="lhs", seed=1)`` made block by block, as a run
makes it (defaults: d = 61, the inputs of eo13768 and its baseline, blocks of
32,768 rows, the default ``block_size``), for each ``n`` of ``--draws``
(default 1e5, 2e5, 5e5, 1e6), two ways:

* ``new``: :func:`enforcecost.sampling.design`, whose strata are a keyed
  Feistel permutation evaluated at each row (O(rows) per block);
* ``old``: the same with the former strata, ``permutation(n)`` of the column's
  stream drawn whole in every block and cut to the block's rows (O(n) per
  block, so O(n**2 / block) per design); only for ``n <= --old-max``
  (default 2e5), as it grows quadratically.

With ``--simulate`` it also times ``enforcecost.simulate(eo13768, draws=n,
seed=1, sampler="lhs")`` (new way only). Reported per ``n``: the wall and
CPU seconds of the best of ``--repeat`` runs (by wall time) and CPU
microseconds per draw (the CPU time is the steadier on a shared machine);
linear scaling shows as a flat ``cpu_us_per_draw``. The two ways' designs differ on purpose (a
different permutation of the strata; the same jitter).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import enforcecost as ec
from enforcecost import sampling
from enforcecost.sampling import _designs, _seeds


def old_strata(n: int, seed: int, j: int, start: int, stop: int) -> Any:
    """The strata before issue #10: the whole permutation, per column per block."""
    return _seeds._stream(seed, _seeds._LHS_PERM, j).permutation(n)[start:stop]


def lhs_design(d: int, n: int, block: int) -> tuple[float, float]:
    """Wall and CPU seconds to make the ``n``-row design block by block."""
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, n, block):
        sampling.design(d, n, sampler="lhs", seed=1, start=start, stop=min(start + block, n))
    return time.perf_counter() - t0, time.process_time() - c0


def simulate(eo: ec.Scenario, n: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``simulate(eo, draws=n, seed=1, sampler="lhs")``."""
    t0, c0 = time.perf_counter(), time.process_time()
    ec.simulate(eo, draws=n, seed=1, sampler="lhs")
    return time.perf_counter() - t0, time.process_time() - c0


def best(repeat: int, run: Callable[..., tuple[float, float]],
         *args: Any) -> tuple[float, float]:
    return min(run(*args) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+",
                        default=[100_000, 200_000, 500_000, 1_000_000])
    parser.add_argument("--d", type=int, default=61)
    parser.add_argument("--block", type=int, default=1 << 15)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--old-max", type=int, default=200_000)
    parser.add_argument("--simulate", action="store_true")
    args = parser.parse_args()
    new_strata = _designs._lhs_strata
    eo = ec.load_scenario("eo13768") if args.simulate else None
    for n in args.draws:
        row: dict[str, Any] = {"draws": n, "d": args.d, "block": args.block}
        row["new_s"] = best(args.repeat, lhs_design, args.d, n, args.block)
        if n <= args.old_max:
            _designs._lhs_strata = old_strata
            try:
                row["old_s"] = best(args.repeat, lhs_design, args.d, n, args.block)
            finally:
                _designs._lhs_strata = new_strata
        if eo is not None:
            row["simulate_s"] = best(args.repeat, simulate, eo, n)
        for key in ("new", "old", "simulate"):
            if f"{key}_s" in row:
                wall, cpu = row.pop(f"{key}_s")
                row[f"{key}_s"], row[f"{key}_cpu_s"] = round(wall, 3), round(cpu, 3)
                row[f"{key}_cpu_us_per_draw"] = round(cpu / n * 1e6, 2)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
