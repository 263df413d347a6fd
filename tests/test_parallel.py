"""Blockwise engine and backends: identical results for any block size, backend and
worker count; reduction-only (``detail='summary'``) results; Dask faults.

The Dask tests start a real two-process ``LocalCluster`` on 127.0.0.1 (no
dashboard) once for the module and compare with in-process runs exactly.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost import cli
from enforcecost.cli import _run, _sensitivity
from enforcecost.model import FIRST_DRAWS
from enforcecost.parallel import (
    DaskBackend,
    DaskMissingError,
    InProcess,
    Processes,
    get_backend,
    using_backend,
)
from enforcecost.results import SKETCH_ALPHA, SKETCH_FLOOR, PrecisionWarning

DRAWS, SEED = 5000, 11


@pytest.fixture(scope="module")
def eo() -> ec.Scenario:
    return ec.load_scenario("eo13768")


@pytest.fixture(scope="module")
def summary_ref(eo: ec.Scenario) -> ec.Result:
    """The in-process reduction-only reference run."""
    return ec.simulate(eo, draws=DRAWS, seed=SEED, detail="summary", block_size=1000)


@pytest.fixture(scope="module")
def payers_ref(eo: ec.Scenario) -> ec.Result:
    return ec.simulate(eo, draws=DRAWS, seed=SEED, detail="payers", block_size=1000)


def assert_same(a: ec.Result, b: ec.Result) -> None:
    """Every view of two results is identical, bit for bit."""
    assert a.draws == b.draws
    assert a.detail == b.detail
    q = [0.0, 0.05, 0.5, 0.95, 1.0]
    for perspective in ec.PERSPECTIVES:
        for basis in ec.BASES:
            for years in (None, 5):
                if a.reduced is None:
                    np.testing.assert_array_equal(
                        a.total(perspective, basis, years=years),
                        b.total(perspective, basis, years=years),
                    )
                np.testing.assert_array_equal(
                    a.quantile(q, perspective, basis, years=years),
                    b.quantile(q, perspective, basis, years=years),
                )
            np.testing.assert_array_equal(
                a.quantile(q, perspective, basis, by="year"),
                b.quantile(q, perspective, basis, by="year"),
            )
            pd.testing.assert_frame_equal(
                a.table(perspective, basis), b.table(perspective, basis), check_exact=True
            )
    if a.reduced is not None:  # the kept distributions, bit for bit
        assert a.reduced.totals is not None
        assert b.reduced is not None
        assert b.reduced.totals is not None
        assert a.reduced.totals.sketch.equals(b.reduced.totals.sketch)
        np.testing.assert_array_equal(a.reduced.totals.moments, b.reduced.totals.moments)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        pd.testing.assert_frame_equal(a.summary(), b.summary(), check_exact=True)
        pd.testing.assert_frame_equal(a.summary("pv", by="year"), b.summary("pv", by="year"),
                                      check_exact=True)
    pd.testing.assert_frame_equal(a.pipeline(), b.pipeline(), check_exact=True)
    pd.testing.assert_frame_equal(a.pipeline("baseline"), b.pipeline("baseline"), check_exact=True)
    np.testing.assert_array_equal(a.annual("government"), b.annual("government"))
    np.testing.assert_array_equal(a.mean_cube("nominal"), b.mean_cube("nominal"))


# -- the blockwise engine, in process ---------------------------------------------------------
@pytest.mark.parametrize("detail", ["payers", "summary"])
def test_block_sizes_give_identical_results(
    eo: ec.Scenario, detail: str, summary_ref: ec.Result, payers_ref: ec.Result
) -> None:
    ref = summary_ref if detail == "summary" else payers_ref
    for block in (333, 4096, DRAWS):
        assert_same(
            ref,
            ec.simulate(
                eo,
                draws=DRAWS,
                seed=SEED,
                detail=detail,  # type: ignore[arg-type]
                block_size=block,
            ),
        )


def test_a_task_runs_the_model_in_chunks_with_the_same_result(
    eo: ec.Scenario, monkeypatch: pytest.MonkeyPatch, summary_ref: ec.Result,
    payers_ref: ec.Result,
) -> None:
    monkeypatch.setattr(ec.model._block, "MODEL_DRAWS", 800)  # 768 draws a piece: 5000 in 7 pieces
    assert_same(summary_ref, ec.simulate(eo, draws=DRAWS, seed=SEED, detail="summary",
                                         block_size=DRAWS))
    assert_same(payers_ref, ec.simulate(eo, draws=DRAWS, seed=SEED, detail="payers",
                                        block_size=2100))


def test_a_distribution_pickles_after_use(eo: ec.Scenario) -> None:
    ec.simulate(eo, draws=4, seed=1)  # builds the numerical inverse CDFs
    copy = pickle.loads(pickle.dumps(eo))
    assert copy == eo
    np.testing.assert_array_equal(
        ec.simulate(copy, draws=64, seed=2).total(), ec.simulate(eo, draws=64, seed=2).total()
    )


# -- reduction-only results ---------------------------------------------------------------
Q = np.array([0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0])


def assert_sketch_accuracy(est: np.ndarray, x: np.ndarray, central: float) -> None:
    """Sketched quantiles ``est`` of draws ``x`` are within the stated accuracy of numpy's.

    The sketch holds each draw's distance from the central value ``central``: each order
    statistic is read within its bucket, ``gamma - 1 = 2 alpha / (1 - alpha)`` of that
    distance wide (plus the zero bucket: distances below SKETCH_FLOOR of the largest).
    """
    gamma = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA)
    d = np.sort(x) - central
    rank = np.floor(Q * (x.size - 1)).astype(int)
    far = np.maximum(np.abs(d[rank]), np.abs(d[np.minimum(rank + 1, x.size - 1)]))
    largest = float(np.max(np.abs(d)))
    # the distances are summed in another order than the ledger's: rounding of 1e-12
    bound = (gamma - 1) * far + gamma * SKETCH_FLOOR * largest + 1e-12 * largest + 1e-3
    assert np.all(np.abs(est - np.quantile(x, Q)) <= bound)


def test_summary_totals_match_the_full_ledger(eo: ec.Scenario, summary_ref: ec.Result) -> None:
    full = ec.simulate(eo, draws=DRAWS, seed=SEED, detail="lines")
    central = ec.evaluate(eo)
    assert summary_ref.detail == "summary"
    assert full.detail == "lines"
    for perspective in ec.PERSPECTIVES:
        for basis in ec.BASES:
            for years in (None, 5, list(eo.start_year + np.arange(5)), [eo.start_year + 3]):
                assert_sketch_accuracy(
                    np.asarray(summary_ref.quantile(Q, perspective, basis, years=years)),
                    np.asarray(full.total(perspective, basis, years=years)),
                    float(central.total(perspective, basis, years=years)),
                )
            by_year = summary_ref.quantile(Q, perspective, basis, by="year")  # years x q
            annual = full.annual(perspective, basis).to_numpy()
            for y, year in enumerate(eo.start_year + np.arange(eo.years)):
                assert_sketch_accuracy(by_year.loc[year].to_numpy(), annual[:, y],
                                       float(central.annual(perspective, basis)[year]))
            # the means are exact (fixed-point sums), the tables agree to rounding
            pd.testing.assert_frame_equal(
                summary_ref.table(perspective, basis), full.table(perspective, basis), rtol=1e-12
            )
            assert summary_ref.mean_total(perspective, basis) == pytest.approx(
                float(np.mean(full.total(perspective, basis))), rel=1e-12, abs=1e-3
            )
    # exact means: group sums of 256 draws rounded to 2**-10 dollars, added exactly
    pd.testing.assert_frame_equal(
        summary_ref.by_provision("state_local", "pv"),
        full.by_provision("state_local", "pv"),
        rtol=1e-12,
        atol=1e-3,
    )
    np.testing.assert_allclose(
        summary_ref.mean_cube("real"), full.mean_cube("real"), rtol=1e-12, atol=1e-3
    )
    pd.testing.assert_frame_equal(summary_ref.pipeline(), full.pipeline(), rtol=1e-12, atol=1e-3)
    for years, by in ((5, "window"), (None, "window"), (None, "year")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PrecisionWarning)
            mine = summary_ref.summary("real", years=years, by=by)  # type: ignore[arg-type]
            theirs = full.summary("real", years=years, by=by)  # type: ignore[arg-type]
        theirs = theirs.xs("all", level="provision", drop_level=False)
        assert mine.index.equals(theirs.index)  # perspective rows only
        assert mine.columns.equals(theirs.columns)
        np.testing.assert_allclose(mine["mean"], theirs["mean"], rtol=1e-12)
        np.testing.assert_allclose(mine["sd"], theirs["sd"], rtol=1e-9)  # exact sums of squares
        # percentiles (and the standard errors, their differences) well under the standard
        # errors: the order statistics are read within their buckets (see Totals)
        for p in ec.results.PERCENTILES:
            se = theirs[f"p{p}_se"].to_numpy()
            for col in (f"p{p}", f"p{p}_se"):
                assert np.all(np.abs(mine[col] - theirs[col]).to_numpy() <= 0.1 * se), col
    # each side's means
    assert summary_ref.baseline is not None
    assert full.baseline is not None
    pd.testing.assert_frame_equal(
        summary_ref.baseline.table("federal"), full.baseline.table("federal"), rtol=1e-12
    )
    assert summary_ref.policy.mean_total("government", "pv") == pytest.approx(
        full.policy.mean_total("government", "pv"), rel=1e-12
    )


def test_summary_keeps_the_first_draws_in_full(
    summary_ref: ec.Result, payers_ref: ec.Result
) -> None:
    first = summary_ref.first_draws
    assert first is not None
    assert first.draws == min(DRAWS, FIRST_DRAWS)
    np.testing.assert_array_equal(
        summary_ref.annual("federal", "pv"), payers_ref.annual("federal", "pv")[: first.draws]
    )
    assert summary_ref.baseline is not None
    np.testing.assert_array_equal(summary_ref.baseline.annual(), payers_ref.baseline.annual())
    pd.testing.assert_frame_equal(first.ledger(), payers_ref.ledger().iloc[: len(first.ledger())])


def test_summary_says_what_it_did_not_keep(summary_ref: ec.Result) -> None:
    def kept(what: str) -> str:
        return re.escape(
            f"did not keep {what}: simulate(..., detail='summary') keeps mean amounts and the "
            "distribution of the impact's net totals by perspective (quantile sketches of the "
            "window and first-five-year totals), no draw's totals. Use summary() or quantile() "
            "for the distribution, mean_total(), table() or by_provision() for means, "
            ".first_draws for its first"
        )

    with pytest.raises(ValueError, match=kept("every draw's ledger lines")):
        summary_ref.ledger()
    with pytest.raises(ValueError, match=kept("every draw's ledger lines")):
        summary_ref.cube("real")
    for years in (None, 5, [2018]):
        with pytest.raises(ValueError, match=kept("per-draw totals")):
            summary_ref.total("federal", years=years)
    with pytest.raises(ValueError, match=kept("per-draw totals")):
        summary_ref.total("federal", provision="hiring")
    with pytest.raises(ValueError, match=kept("the distribution of each side (only the impact's)")):
        summary_ref.policy.quantile(0.5, "federal")
    with pytest.raises(ValueError, match=kept("the distribution of each side (only the impact's)")):
        summary_ref.baseline.summary()  # type: ignore[union-attr]
    with pytest.raises(
        ValueError,
        match=re.escape(f"first {FIRST_DRAWS:,} draws")
        if DRAWS > FIRST_DRAWS
        else re.escape(f"first {DRAWS:,} draws"),
    ):
        summary_ref.ledger()
    # totals the sketches do not cover come from the first draws
    first = summary_ref.first_draws
    assert first is not None
    assert summary_ref.quantile(0.5, "federal", years=[2018, 2019]) == first.quantile(
        0.5, "federal", years=[2018, 2019])
    with pytest.raises(ValueError, match="'perspective' must be one of"):
        summary_ref.total("local")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'provision' must be one of"):
        summary_ref.total(provision="walls")


def test_auto_detail_falls_back_to_summary(eo: ec.Scenario) -> None:
    small = ec.simulate(eo, draws=600, seed=1, max_bytes=10_000)
    assert small.detail == "summary"
    assert small.reduced is not None
    assert small.reduced.totals is not None
    # 4 perspectives x 3 bases x 2 spans channels, whatever the draws
    assert small.reduced.totals.sketch.channels == 4 * 3 * 2
    more = ec.simulate(eo, draws=6000, seed=1, max_bytes=10_000)
    assert more.reduced is not None
    assert more.reduced.totals is not None
    assert more.reduced.totals.nbytes == small.reduced.totals.nbytes < 32 * 2**20
    assert ec.simulate(eo, draws=600, seed=1).detail == "lines"


# -- local processes -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def processes() -> Iterator[Processes]:
    with Processes(2) as pool:
        yield pool


def _inverses_built(_: object) -> int:
    """In a worker: the standardized inverse CDFs it holds before any block ran."""
    from enforcecost.registry import _inverse

    return int(_inverse._standard_inverse.cache_info().currsize)


def test_local_workers_start_with_the_registry_inverse_cdfs() -> None:
    shapes = {
        ("beta", tuple(sorted(float(a) for a in p.uncertainty.frozen().args)))
        for p in ec.registry().values()
        if p.uncertainty is not None and p.uncertainty.kind == "pert"
    }
    with Processes(2) as pool:  # a new pool: its workers have run nothing yet
        built = list(pool.map_blocks(_inverses_built, [0, 1]))
    assert min(built) >= len(shapes) > 30


def _every_setup_over_budget(parent: int) -> None:
    """A worker initializer (around the usual one): the exact ppf for every shape."""
    from enforcecost.backends import _lifetime
    from enforcecost.registry import _inverse

    _lifetime._start_worker(parent)
    _inverse._SETUP_CALLS = 0
    _inverse._inverse_of.cache_clear()  # built by warm_caches in the server
    _inverse._standard_inverse.cache_clear()


def test_exact_ppf_fallback_gives_the_same_bits_in_workers(
    eo: ec.Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcecost.backends import _processes
    from enforcecost.registry import _inverse

    draws = 96
    fast = ec.simulate(eo, draws=draws, seed=SEED, detail="summary")
    monkeypatch.setattr(_inverse, "_SETUP_CALLS", 0)
    monkeypatch.setattr(_processes, "_start_worker", _every_setup_over_budget)  # workers too
    _inverse._inverse_of.cache_clear()
    _inverse._standard_inverse.cache_clear()
    try:
        slow = ec.simulate(eo, draws=draws, seed=SEED, detail="summary")
        workers = ec.simulate(eo, draws=draws, seed=SEED, detail="summary", workers=2,
                              block_size=32)
    finally:
        _inverse._inverse_of.cache_clear()  # later tests build the fast inverse
        _inverse._standard_inverse.cache_clear()
    assert slow.mean_total("federal") != fast.mean_total("federal")  # the exact ppf was used
    assert_same(slow, workers)


def test_processes_equal_in_process(
    eo: ec.Scenario, processes: Processes, summary_ref: ec.Result
) -> None:
    assert_same(
        summary_ref,
        ec.simulate(
            eo, draws=DRAWS, seed=SEED, detail="summary", block_size=777, backend=processes
        ),
    )
    a = ec.sensitivity.morris(eo, trajectories=4, seed=3)
    b = ec.sensitivity.morris(eo, trajectories=4, seed=3, backend=processes, block_size=37)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)


# -- workers die with their parent ------------------------------------------------------------
_ORPHAN_CHILD = """
import sys
import enforcecost as ec

def started(n):
    if not started.done:
        started.done = True
        print("started", flush=True)
started.done = False
backend = sys.argv[1] if sys.argv[1] != "-" else None
ec.simulate(ec.load_scenario("eo13768"), draws=10_000_000, seed=1, detail="summary",
            block_size=2000, workers=2, backend=backend, progress=started)
"""


def _children() -> dict[int, list[int]]:
    """Live processes by parent pid, from /proc (zombies left out: they hold no memory)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        if fields[0] != "Z":
            kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def _descendants(pid: int) -> set[int]:
    kids, found, todo = _children(), set(), [pid]
    while todo:
        for kid in kids.get(todo.pop(), []):
            found.add(kid)
            todo.append(kid)
    return found


def _living(pids: set[int]) -> set[int]:
    alive = {p for ps in _children().values() for p in ps}
    return pids & alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("backend", ["processes", pytest.param("dask", marks=pytest.mark.slow)])
def test_workers_die_with_a_killed_parent(backend: str) -> None:
    """SIGKILL of the process running a study (no clean-up runs) ends every process it
    started: fork server, workers, resource tracker; or the LocalCluster's workers."""
    import subprocess

    if backend == "dask":
        pytest.importorskip("distributed")
    found: set[int] = set()
    with subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_CHILD, "-" if backend == "processes" else backend],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "started\n", "the study never started"
            found = _descendants(child.pid)
            assert len(found) >= 2, found  # at least the two workers
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            deadline = time.monotonic() + 10.0
            while _living(found) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _living(found), f"outlived their parent: {sorted(_living(found))}"
        finally:
            child.kill()
            for pid in _living(found):
                os.kill(pid, signal.SIGKILL)

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX process checks")
def test_a_worker_forked_after_its_parent_died_exits() -> None:
    """If the pool's process died while the fork server was still importing (so the server
    watches whoever adopted it), a worker forked later checks that process itself."""
    import subprocess

    gone = subprocess.Popen(["true"])
    gone.wait()  # its pid is free: a parent that died
    code = ("import os, sys; from enforcecost.backends import _lifetime as p\n"
            "p._server_pid, p._server_parent = os.getppid(), 1\n"
            "p._start_worker(int(sys.argv[1])); print('kept running')")
    for parent, kept in ((gone.pid, False), (os.getpid(), True)):
        run = subprocess.run([sys.executable, "-c", code, str(parent)],
                             capture_output=True, text=True, timeout=60)
        assert run.stderr == ""
        assert (run.returncode, run.stdout) == ((0, "kept running\n") if kept else (1, ""))


def test_cli_passes_workers_and_scheduler_through(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []
    real = _run.using_backend

    def spy(backend: Any = None, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return real(backend)  # in-process

    monkeypatch.setattr(_run, "using_backend", spy)
    args = ["run", "eo13768", "--draws", "64", "--no-report", "--quiet", "--out"]
    assert cli.main([*args, str(tmp_path / "a"), "--workers", "3"]) == 0
    assert cli.main([*args, str(tmp_path / "b"), "--scheduler", "tcp://127.0.0.1:8786"]) == 0
    assert seen == [
        {"workers": 3, "scheduler": None},
        {"workers": None, "scheduler": "tcp://127.0.0.1:8786"},
    ]
    assert (tmp_path / "a" / "summary.csv").read_text() == (
        tmp_path / "b" / "summary.csv"
    ).read_text()
    calls: list[dict[str, Any]] = []
    traced = dataclasses.replace(_sensitivity.METHODS["tornado"],
                                 study=lambda *a, **k: calls.append(k) or ec.tornado(*a))
    monkeypatch.setattr(_sensitivity, "METHODS", {**_sensitivity.METHODS, "tornado": traced})
    assert (
        cli.main(
            [
                "sensitivity",
                "eo13768",
                "--method",
                "tornado",
                "--quiet",
                "--out",
                str(tmp_path / "s"),
                "--workers",
                "2",
            ]
        )
        == 0
    )
    assert calls == [{"workers": 2, "scheduler": None}]


def test_cli_reports_an_unreachable_scheduler(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError(
            "cannot reach the Dask scheduler at 'tcp://127.0.0.1:1' within 10 s: refused"
        )

    monkeypatch.setattr(_run, "using_backend", unreachable)
    out = tmp_path / "o"
    code = cli.main(
        ["run", "eo13768", "--draws", "64", "--out", str(out), "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "enforcecost: cannot reach the Dask scheduler at 'tcp://127.0.0.1:1'" in err
    assert "bug" not in err
    assert not out.exists()


def test_cli_rejects_bad_parallel_options(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o")
    assert cli.main(["run", "eo13768", "--out", out, "--workers", "0"]) == 2
    assert "--workers 0: must be a whole number >= 1" in capsys.readouterr().err
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENFORCECOST_BACKEND", "threads")
        assert cli.main(["run", "eo13768", "--out", out, "--draws", "64"]) == 2
    assert ("enforcecost: environment variable ENFORCECOST_BACKEND: must be one of auto, "
            "inprocess, processes (or unset): 'threads'") in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    with pytest.raises(SystemExit):  # argparse: not allowed together
        cli.build_parser().parse_args(
            ["run", "eo13768", "--out", out, "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]
        )


# -- backend selection and errors --------------------------------------------------------------
def test_backend_arguments() -> None:
    with get_backend() as be:
        assert isinstance(be, InProcess)
        assert list(be.map_blocks(abs, [-1, 2, -3])) == [1, 2, 3]
    with pytest.raises(ValueError, match=r"'workers' must be a whole number >= 1: 0"):
        get_backend(workers=0)
    with pytest.raises(ValueError, match=r"'backend' must be one of inprocess, processes, dask"):
        get_backend(kind="threads")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'workers' sets the size of a local pool"):
        get_backend(workers=2, scheduler="tcp://127.0.0.1:1")
    with (
        pytest.raises(ValueError, match=r"'backend' must be a Backend, a dask"),
        using_backend(3.5),
    ):
        pass
    with pytest.raises(ValueError, match=r"'block_size' must be a whole number >= 1: 0"):
        ec.simulate(ec.load_scenario("eo13768"), draws=4, block_size=0)


# -- the default backend (backends/_auto.py) ---------------------------------------------------
def test_default_backend_uses_every_core_for_large_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes from the threshold with more than one core; the environment variable
    overrides; an explicit argument always wins; a worker process never pools."""
    from enforcecost.backends import _auto

    monkeypatch.delenv(_auto.BACKEND_ENV, raising=False)
    monkeypatch.setattr(_auto, "available_cpus", lambda: 2)
    assert _auto.default_kind(99, 100) == "inprocess"
    assert _auto.default_kind(100, 100) == "processes"
    monkeypatch.setattr(_auto, "available_cpus", lambda: 1)
    assert _auto.default_kind(10**9, 100) == "inprocess"
    monkeypatch.setattr(_auto, "available_cpus", lambda: 2)
    for value, large, small in (("inprocess", "inprocess", "inprocess"),
                                (" Processes ", "processes", "processes"),
                                ("auto", "processes", "inprocess"),
                                ("", "processes", "inprocess")):
        monkeypatch.setenv(_auto.BACKEND_ENV, value)
        assert _auto.default_kind(1000, 100) == large
        assert _auto.default_kind(10, 100) == small
    monkeypatch.setenv(_auto.BACKEND_ENV, "threads")
    with pytest.raises(ValueError, match=r"ENFORCECOST_BACKEND must be one of auto, inprocess, "
                       r"processes \(or unset\): 'threads'"):
        _auto.default_kind(1000, 100)
    monkeypatch.setenv(_auto.BACKEND_ENV, "processes")
    client = object()
    assert _auto.auto_backend("inprocess", None, None, 10**9, 1) == "inprocess"
    assert _auto.auto_backend(None, 3, None, 0, 1) is None  # get_backend(workers=3)
    assert _auto.auto_backend(client, None, None, 0, 1) is client
    monkeypatch.delenv(_auto.BACKEND_ENV)
    monkeypatch.setattr(_auto.multiprocessing, "parent_process", lambda: object())
    assert _auto.default_kind(10**9, 100) == "inprocess"


def test_available_cpus_respects_the_affinity_mask() -> None:
    from enforcecost.backends import available_cpus

    n = available_cpus()
    if hasattr(os, "sched_getaffinity"):
        assert n == len(os.sched_getaffinity(0))
    assert 1 <= n <= (os.cpu_count() or 1)


def test_the_default_backend_gives_the_in_process_bits(
    eo: ec.Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the thresholds lowered so that the default picks local processes (two), a
    simulation and a Sobol' study give the bits of a run in this process."""
    from enforcecost.backends import _auto
    from enforcecost.model import _limits, _simulate
    from enforcecost.sensitivity import _scenario

    monkeypatch.delenv(_auto.BACKEND_ENV, raising=False)
    monkeypatch.setattr(_auto, "available_cpus", lambda: 2)
    monkeypatch.setattr(_limits, "PARALLEL_MIN_DRAWS", 1000)
    monkeypatch.setattr(_scenario, "PARALLEL_MIN_RUNS", 100)
    used: list[Any] = []
    real_sim, real_sens = _simulate.using_backend, _scenario.using_backend

    def spy_sim(backend: Any = None, **kwargs: Any) -> Any:
        used.append(backend)
        return real_sim(backend, **kwargs)

    def spy_sens(backend: Any = None, **kwargs: Any) -> Any:
        used.append(backend)
        return real_sens(backend, **kwargs)

    monkeypatch.setattr(_simulate, "using_backend", spy_sim)
    monkeypatch.setattr(_scenario, "using_backend", spy_sens)
    default = ec.simulate(eo, draws=3000, seed=SEED, detail="summary")
    assert used == ["processes"]
    assert_same(default, ec.simulate(eo, draws=3000, seed=SEED, detail="summary",
                                     backend="inprocess"))
    # per-draw detail stays in this process (copying it back costs more than it saves)
    ec.simulate(eo, draws=3000, seed=SEED, detail="payers")
    assert used[-1] == "inprocess"
    used.clear()
    a = ec.sobol(eo, "federal", n=32, replicates=2, seed=3, by_source=False)
    assert used == ["processes"]
    b = ec.sobol(eo, "federal", n=32, replicates=2, seed=3, by_source=False,
                 backend="inprocess")
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)
    used.clear()
    monkeypatch.setattr(_scenario, "PARALLEL_MIN_RUNS", 10**6)
    ec.tornado(eo)  # 2 d + 1 runs
    assert used == ["inprocess"]


def test_tune_malloc_applies_on_glibc() -> None:
    from enforcecost.parallel import dask_setup, tune_malloc

    tuned = tune_malloc()
    assert tuned == (sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION")
                     is not None)
    dask_setup(None)  # the preload hook of `dask worker --preload enforcecost.parallel`


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    with pytest.raises(DaskMissingError, match=r"pip install 'enforcecost\[dask\]'"):
        get_backend(kind="dask")
    with pytest.raises(ImportError, match=r"enforcecost\[dask\]"):
        ec.simulate(ec.load_scenario("eo13768"), draws=4, scheduler="tcp://127.0.0.1:8786")


# -- Dask ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    # the scheduler's HTTP server (health, metrics) runs even without a dashboard: on a
    # free port, not 8787 (where another cluster would make it warn)
    lc = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    try:
        yield lc
    finally:
        lc.close()


@pytest.fixture(scope="module")
def client(cluster: Any) -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    c = distributed.Client(cluster, set_as_default=False)
    try:
        yield c
    finally:
        c.close()


@pytest.mark.parametrize("detail", ["payers", "summary"])
def test_dask_equals_in_process(
    eo: ec.Scenario, client: Any, detail: str, summary_ref: ec.Result, payers_ref: ec.Result
) -> None:
    ref = summary_ref if detail == "summary" else payers_ref
    res = ec.simulate(
        eo,
        draws=DRAWS,
        seed=SEED,
        detail=detail,  # type: ignore[arg-type]
        block_size=333,
        backend=client,
    )
    assert_same(ref, res)
    assert client.status == "running"  # a client passed in is left open


def test_dask_by_scheduler_address(eo: ec.Scenario, cluster: Any) -> None:
    ref = ec.simulate(eo, draws=700, seed=2, detail="lines")
    res = ec.simulate(
        eo, draws=700, seed=2, detail="lines", block_size=128, scheduler=cluster.scheduler_address
    )
    assert_same(ref, res)
    np.testing.assert_array_equal(ref.policy_run.amounts, res.policy_run.amounts)


def test_dask_sobol_equals_in_process(eo: ec.Scenario, client: Any) -> None:
    a = ec.sobol(eo, "government", n=32, seed=5, by_source=True)
    b = ec.sobol(eo, "government", n=32, seed=5, by_source=True, backend=client, block_size=250)
    for x, y in (
        (a.to_frame(), b.to_frame()),
        (a.by_provision(), b.by_provision()),
        (a.by_source_kind(), b.by_source_kind()),
    ):
        pd.testing.assert_frame_equal(x, y, check_exact=True)
    np.testing.assert_array_equal(a.result.first_order_replicates, b.result.first_order_replicates)


def test_dask_local_cluster_started_for_the_study(eo: ec.Scenario) -> None:
    pytest.importorskip("distributed")
    ref = ec.simulate(eo, draws=600, seed=3, detail="summary", block_size=200)
    res = ec.simulate(eo, draws=600, seed=3, detail="summary", block_size=200,
                      backend="dask", workers=1)
    assert_same(ref, res)


def test_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    start = time.monotonic()
    with pytest.raises(
        ConnectionError,
        match=r"cannot reach the Dask scheduler at "
        r"'tcp://127\.0\.0\.1:1' within 2 s",
    ):
        get_backend(scheduler="tcp://127.0.0.1:1", connect_timeout=2.0)
    assert time.monotonic() - start < 10.0


def test_a_worker_killed_mid_run_is_survived(eo: ec.Scenario, client: Any, cluster: Any) -> None:
    draws, block = 48_000, 1500
    ref = ec.simulate(eo, draws=draws, seed=SEED, detail="summary", block_size=block)
    started = threading.Event()
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["res"] = ec.simulate(
                eo,
                draws=draws,
                seed=SEED,
                detail="summary",
                block_size=block,
                backend=DaskBackend(client),
                progress=lambda n: started.set(),
            )
        except BaseException as exc:  # reported below
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(120), "no block finished"
    victim, pid = sorted(client.run(os.getpid).items())[0]
    assert thread.is_alive(), "the run ended before a worker could be killed"
    os.kill(pid, signal.SIGKILL)  # the nanny starts a new worker; the scheduler reruns its tasks
    thread.join(180)
    assert not thread.is_alive()
    assert "error" not in out, out.get("error")
    assert_same(ref, out["res"])
    assert victim not in client.scheduler_info()["workers"]  # it really died


def test_views_by_fiscal_year_read_the_first_draws(
    eo: ec.Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a reduction-only result did not sketch (fiscal years, other spans) comes from
    its first draws; the means stay exact over every draw."""
    from enforcecost import model

    monkeypatch.setattr(model._plan, "FIRST_DRAWS", 700)
    red = ec.simulate(eo, draws=2000, seed=SEED, detail="summary", block_size=300)
    full = ec.simulate(eo, draws=2000, seed=SEED, detail="payers")
    assert red.first_draws is not None
    assert red.first_draws.draws == 700
    q = [0.05, 0.5, 0.95]
    head = full.annual("federal", "real").to_numpy()[:700]
    np.testing.assert_array_equal(red.quantile(q, "federal", "real", by="year").T,
                                  np.quantile(head, q, axis=0))
    np.testing.assert_array_equal(red.quantile(q, "federal", "real", years=[2019]),
                                  np.quantile(head[:, 2], q))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        mine = red.summary("real", by="year").sort_index().xs(("federal", "all"))
        first = full.summary("real", by="year").sort_index().xs(("federal", "all"))
    np.testing.assert_allclose(mine["mean"], full.annual("federal", "real").mean(axis=0),
                               rtol=1e-12)  # exact, over all 2,000 draws
    np.testing.assert_allclose(mine["sd"], head.std(axis=0, ddof=1), rtol=1e-12)
    np.testing.assert_allclose(mine["p95"], np.quantile(head, 0.95, axis=0), rtol=1e-12)
    np.testing.assert_allclose(mine["mean_se"], mine["sd"] / np.sqrt(2000), rtol=1e-12)
    assert not np.allclose(mine["p95"], first["p95"])  # not the 2,000 draws' percentiles
