"""Benchmark: reaching row ``start`` of the scrambled Sobol' design, jump against fast_forward.

Run on demand (not part of the test suite)::

    python benchmarks/bench_sobol_jump.py
    python benchmarks/bench_sobol_jump.py --d 61 --count 32768 --repeat 5

Times ``design(d, 2**24, start=s, stop=s + count)`` (defaults: d = 61, the
inputs of eo13768 and its baseline, and count = 32768, the default
``block_size``) for s in 0, 2**20, 2**22 and 2**24 - count, two ways:

* ``old``: the former implementation, ``qmc.Sobol(...).fast_forward(s)`` then
  ``random(count)``; ``fast_forward`` steps over every skipped row, so its cost
  grows linearly with ``s`` (issue #5: time per draw grew 19% from 1e6 to 1e7
  draws, each block of a study reaching its own first row);
* ``new``: :func:`enforcecost.sampling.design`, which sets the engine's state
  to row ``s`` directly (O(d log2 s)).

Reported per start: the best of ``--repeat`` wall times (seconds) of the whole
call (engine set-up, reaching row ``s``, drawing ``count`` rows) for each way,
their ratio, and the time of reaching row ``s`` alone (set-up excluded) each
way. The two ways' draws are checked to be identical to the last bit.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable
from functools import partial

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

from enforcecost.sampling import design
from enforcecost.sampling._seeds import _SOBOL, _stream
from enforcecost.sampling._sobol_jump import _sobol_seek

FloatArray = npt.NDArray[np.float64]


def old_design(d: int, seed: int, start: int, stop: int) -> FloatArray:
    """``design`` as it was: fast_forward to row ``start``."""
    engine = qmc.Sobol(d, scramble=True, rng=_stream(seed, _SOBOL))
    if start:
        engine.fast_forward(start)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
        return np.asarray(engine.random(stop - start), dtype=np.float64)


def best_of(repeat: int, f: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def reach_only(d: int, seed: int, start: int, repeat: int, jump: bool) -> float:
    """Best time of reaching row ``start`` on a new engine (its set-up not timed)."""
    times = []
    for _ in range(repeat):
        engine = qmc.Sobol(d, scramble=True, rng=_stream(seed, _SOBOL))
        t0 = time.perf_counter()
        if jump:
            _sobol_seek(engine, start)
        elif start:
            engine.fast_forward(start)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", type=int, default=61)
    parser.add_argument("--count", type=int, default=32768)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    d, count, seed, n = args.d, args.count, args.seed, 2**24
    design(d, n, seed=seed, start=1, stop=2)  # warm up (imports, the once-per-process check)
    for start in (0, 2**20, 2**22, n - count):
        stop = start + count
        same = np.array_equal(old_design(d, seed, start, stop),
                              design(d, n, seed=seed, start=start, stop=stop))
        old = best_of(args.repeat, partial(old_design, d, seed, start, stop))
        new = best_of(args.repeat, partial(design, d, n, seed=seed, start=start, stop=stop))
        print(json.dumps({
            "d": d, "start": start, "count": count,
            "old_s": round(old, 4), "new_s": round(new, 4), "old_over_new": round(old / new, 2),
            "reach_old_s": round(reach_only(d, seed, start, args.repeat, jump=False), 6),
            "reach_new_s": round(reach_only(d, seed, start, args.repeat, jump=True), 6),
            "identical": same,
        }))


if __name__ == "__main__":
    main()
