"""Benchmark: a Sobol' study of the eo13768 10-year federal impact, whole study timed.

Three ways to the same first-order and total indices over all the scenario's
uncertain inputs, each timed from design to intervals, with N = 4096:

* ``enforcecost.sobol`` (scrambled Sobol' in randomized-QMC replicates, grouped
  indices off: the per-input study only, like the others);
* SALib 1.6: ``sample.sobol`` (calc_second_order=False) → this model (through
  ``enforcecost.as_function``) → ``analyze.sobol.analyze(num_resamples=1000)``;
* ``scipy.stats.sobol_indices(func=..., n=N, dists=...)`` → ``.bootstrap()``.

Target (issue #3): at least 10x faster than SALib and 4x faster than SciPy,
with the indices agreeing within their intervals.

Run: ``python benchmarks/bench_sobol_scenario.py [--n 4096]`` (SALib must be
installed: ``pip install salib``).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy import stats

import enforcecost as ec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4096)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sc = ec.load_scenario("eo13768")
    func, dists, names = ec.as_function(sc, "federal")
    d = len(names)
    func(np.array([[x.median() for x in dists]]))  # warm caches
    print(f"eo13768, federal 10-year impact, {d} uncertain inputs, N = {args.n}")

    t = time.perf_counter()
    ours = ec.sobol(sc, "federal", n=args.n, seed=args.seed, by_source=False)
    t_ours = time.perf_counter() - t
    f_ours = ours.to_frame()
    print(f"enforcecost.sobol: {t_ours:7.1f} s ({ours.result.evaluations:,} model runs, "
          "incl. provision groups)")

    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    problem = {"num_vars": d, "names": names, "bounds": [[0.0, 1.0]] * d}
    t = time.perf_counter()
    u = salib_sample.sample(problem, args.n, calc_second_order=False, seed=args.seed)
    x = np.column_stack([dist.ppf(u[:, j]) for j, dist in enumerate(dists)])
    y = np.concatenate([func(x[i : i + 8192]) for i in range(0, len(x), 8192)])
    sal = salib_analyze.analyze(problem, y, calc_second_order=False, num_resamples=1000,
                                seed=args.seed)
    t_salib = time.perf_counter() - t
    print(f"SALib 1.6:         {t_salib:7.1f} s ({len(x):,} model runs)   "
          f"ratio {t_salib / t_ours:5.1f}x")

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sp = stats.sobol_indices(func=lambda xt: func(xt.T), n=args.n, dists=dists,
                                 rng=np.random.default_rng(args.seed))
        boot = sp.bootstrap()
    t_scipy = time.perf_counter() - t
    print(f"SciPy sobol_indices + bootstrap: {t_scipy:7.1f} s   ratio {t_scipy / t_ours:5.1f}x")

    top = f_ours.index[:8]
    print("\ntop inputs by ST: ours [interval] | SALib ± conf | SciPy [bootstrap]")
    for name in top:
        j = names.index(name)
        print(f"  {name:34s} ST {f_ours.loc[name, 'ST']:.3f} "
              f"[{f_ours.loc[name, 'ST_low']:.3f}, {f_ours.loc[name, 'ST_high']:.3f}] | "
              f"{sal['ST'][j]:.3f} ± {sal['ST_conf'][j]:.3f} | "
              f"{sp.total_order[j]:.3f} [{boot.total_order.confidence_interval.low[j]:.3f}, "
              f"{boot.total_order.confidence_interval.high[j]:.3f}]")


if __name__ == "__main__":
    main()
