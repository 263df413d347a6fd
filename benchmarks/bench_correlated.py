"""Benchmark: memory and time of a block of a correlated design, whole-design against per-chunk.

Run on demand (not part of the test suite)::

    python benchmarks/bench_correlated.py
    python benchmarks/bench_correlated.py --draws 10000000 --start 5029888 --ks 2 4

Measures ``design(61, draws, seed=1, start=s, stop=s + 32768, correlate=...)``
(defaults: 10,000,000 draws, d = 61 as in eo13768 and its baseline, a block
of the default ``block_size`` straddling two chunks) with ``k`` = 2 and 4
correlated columns, two ways:

* ``old``: ``src/enforcecost/sampling.py`` as of ``--old-rev`` (default
  4ca1513, before issue #5's change), loaded from ``git show`` as a module:
  Iman-Conover on all ``draws`` rows of the correlated columns, built and
  cached in every process, so its memory grows with ``draws``;
* ``new``: :func:`enforcecost.sampling.design`, Iman-Conover on each chunk of
  ``CHUNK`` rows the block overlaps (memory bounded by a few chunks).

A ``plain`` run (no ``correlate``) gives the floor. Each configuration runs in
a fresh subprocess, so its peak resident memory (``ru_maxrss``) is its own.
Reported per configuration: the peak resident memory after the imports and a
small warm-up design (``base_mib``), after the block (``peak_mib``) and their
difference; the wall seconds of the block (``first_s``, caches cold) and of
the next block ``[s + 32768, s + 65536)`` (``next_s``: the old way reads its
cached whole design, the new one reuses a cached chunk when the blocks share
one). Target (issue #5): at most 1 GiB per process at 10,000,000 draws, not
growing with the draws. The old and new draws differ on purpose (one
Iman-Conover on all rows against one per chunk); only designs of fewer than
``1.5 * CHUNK`` rows are the same.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import importlib.util, json, resource, sys, time

    def peak_mib():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB

    way, path, k, d, draws, start, count = (sys.argv[1], sys.argv[2], int(sys.argv[3]),
                                            int(sys.argv[4]), int(sys.argv[5]),
                                            int(sys.argv[6]), int(sys.argv[7]))
    if way == "old":
        spec = importlib.util.spec_from_file_location("old_sampling", path)
        sampling = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sampling)
    else:
        from enforcecost import sampling
    targets = {
        2: ((0, 1), ((1.0, 0.5), (0.5, 1.0))),
        4: ((0, 10, 20, 30), ((1.0, 0.5, 0.3, -0.2), (0.5, 1.0, 0.4, 0.0),
                              (0.3, 0.4, 1.0, 0.1), (-0.2, 0.0, 0.1, 1.0))),
    }
    correlate = targets[k] if k else None
    sampling.design(d, 4096, seed=1, correlate=correlate)  # warm up imports and checks
    base = peak_mib()
    t0 = time.perf_counter()
    u = sampling.design(d, draws, seed=1, start=start, stop=start + count, correlate=correlate)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    sampling.design(d, draws, seed=1, start=start + count, stop=start + 2 * count,
                    correlate=correlate)
    after = time.perf_counter() - t0
    peak = peak_mib()
    print(json.dumps({"way": way, "k": k, "draws": draws, "start": start,
                      "base_mib": round(base, 1), "peak_mib": round(peak, 1),
                      "added_mib": round(peak - base, 1), "first_s": round(first, 3),
                      "next_s": round(after, 3), "block_shape": list(u.shape)}))
    """
)


def run(way: str, path: str, k: int, args: argparse.Namespace) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, way, path, str(k), str(args.d), str(args.draws),
         str(args.start), str(args.count)],
        check=True, capture_output=True, text=True,
    )
    print(json.dumps(json.loads(out.stdout.strip().splitlines()[-1])), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000_000)
    parser.add_argument("--d", type=int, default=61)
    parser.add_argument("--start", type=int, default=76 * 65536 + 49152,
                        help="first row of the block (default: straddles chunks 76 and 77)")
    parser.add_argument("--count", type=int, default=32768)
    parser.add_argument("--ks", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--old-rev", default="4ca1513",
                        help="git revision of the old sampling.py ('' to skip the old way)")
    args = parser.parse_args()
    run("plain", "", 0, args)
    with tempfile.TemporaryDirectory() as tmp:
        old = ""
        if args.old_rev:
            repo = Path(__file__).resolve().parent.parent
            shown = subprocess.run(
                ["git", "-C", str(repo), "show", f"{args.old_rev}:src/enforcecost/sampling.py"],
                capture_output=True, text=True,
            )
            if shown.returncode == 0:
                old = str(Path(tmp) / "old_sampling.py")
                Path(old).write_text(shown.stdout)
            else:
                print(f"old way skipped: {shown.stderr.strip()}", file=sys.stderr)
        for k in args.ks:
            if old:
                run("old", old, k, args)
            run("new", "", k, args)


if __name__ == "__main__":
    main()
