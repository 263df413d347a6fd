"""The scenario as a function of its uncertain inputs, for the scenario-level studies.

:class:`Output` says what a study explains; :class:`_QuantileModel` runs the
model on rows of input quantiles (policy and baseline on the same quantiles),
in process or in parallel blocks; :func:`as_function` gives the scenario's
output as a plain function of the inputs' values, for other tools.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..backends import (
    PARALLEL_MIN_RUNS,
    Backend,
    BackendLike,
    InProcess,
    auto_backend,
    using_backend,
)
from ..model import run_design, uncertain_inputs
from ..registry import registry
from ..results import Perspective
from ..scenario import Scenario
from ..vocab import Basis

__all__ = ["Output", "as_function"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Output:
    """The model output a sensitivity study explains.

    Parameters
    ----------
    perspective : {'federal', 'state_local', 'government', 'economy'}
    basis : {'nominal', 'real', 'pv'}
    years : int, sequence of int, or None
        None: the whole window; N: the first N fiscal years; a sequence: those
        fiscal years (one fiscal year: ``[2020]``).
    provision : str or None
        One provision's lines only.
    """

    perspective: Perspective = "federal"
    basis: Basis = "nominal"
    years: int | tuple[int, ...] | None = None
    provision: str | None = None

    def label(self, scenario: Scenario) -> str:
        """Plain-words description, e.g. 'federal net cost, FY2017-FY2026, nominal $'."""
        fy0 = scenario.start_year
        if self.years is None:
            span = f"FY{fy0}-FY{fy0 + scenario.years - 1}"
        elif isinstance(self.years, int):
            span = f"FY{fy0}-FY{fy0 + self.years - 1}"
        else:
            span = ", ".join(f"FY{y}" for y in self.years)
        what = f"{self.provision} " if self.provision else ""
        side = "impact" if scenario.baseline is not None else "cost"
        return f"{self.perspective} {what}net {side}, {span}, {self.basis} dollars"


def _output(output: Output | str | None) -> Output:
    if output is None:
        return Output()
    if isinstance(output, str):
        return Output(perspective=output)  # type: ignore[arg-type]
    return output


def _outputs(
    scenario: Scenario, names: Sequence[str], output: Output | tuple[Output, ...],
    u: FloatArray,
) -> FloatArray:
    """The output of each row of quantiles ``u`` (a block task: pure and picklable).

    One output gives an ``(m,)`` array; a tuple of outputs an ``(m, k)`` array,
    column ``j`` the ``j``-th output, all from the same model runs.
    """
    res = run_design(scenario, np.asarray(u, dtype=np.float64), names)

    def one(out: Output) -> FloatArray:
        years = list(out.years) if isinstance(out.years, tuple) else out.years
        return np.asarray(
            res.total(out.perspective, out.basis, years=years, provision=out.provision),
            dtype=np.float64,
        )

    if isinstance(output, Output):
        return one(output)
    return np.column_stack([one(out) for out in output])


class _QuantileModel:
    """The scenario's output (or outputs) as a function of its uncertain inputs' quantiles.

    With a ``backend``, each call's rows run as blocks of ``block_size`` rows
    (default: the call split into ``blocks_per_worker`` blocks per worker, four
    unless the default backend chose the pool) on the backend.
    """

    def __init__(
        self,
        scenario: Scenario,
        output: Output | tuple[Output, ...],
        progress: Callable[[int], None] | None = None,
        backend: Backend | None = None,
        block_size: int | None = None,
        blocks_per_worker: int = 4,
    ) -> None:
        self.scenario = scenario
        self.blocks_per_worker = blocks_per_worker
        self.output = output
        self.progress = progress
        self.backend = backend
        if block_size is not None and (
            isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1
        ):
            raise ValueError(f"'block_size' must be a whole number >= 1: {block_size!r}")
        self.block_size = block_size
        self.names = uncertain_inputs(scenario)
        if not self.names:
            raise ValueError(f"scenario {scenario.name!r} has no uncertain inputs to analyse")
        # validate the output once, on a deterministic run (in this process)
        self.task = partial(_outputs, scenario, tuple(self.names), output)
        self.task(np.full((1, len(self.names)), np.nan))

    def __call__(self, u: FloatArray) -> FloatArray:
        u = np.asarray(u, dtype=np.float64)
        m = u.shape[0]
        if self.backend is None or m <= 1:
            y = self.task(u)
        else:
            split = self.blocks_per_worker * self.backend.workers
            size = self.block_size or max(1, math.ceil(m / split))
            blocks = [u[i : i + size] for i in range(0, m, size)]
            y = np.concatenate(list(self.backend.map_blocks(self.task, blocks)))
        if self.progress is not None:
            self.progress(len(y))
        return y

    def reference(self, name: str) -> Any:
        """The distribution defining an input's quantiles (the policy's, else the baseline's)."""
        setting = self.scenario.settings()[name]
        if setting.dist is None:
            assert self.scenario.baseline is not None
            setting = self.scenario.baseline.settings()[name]
        assert setting.dist is not None
        return setting.dist


def _meta(names: Sequence[str]) -> pd.DataFrame:
    reg = registry()
    return pd.DataFrame(
        {
            "provision": [reg[n].provision for n in names],
            "source_kind": [reg[n].source_kind for n in names],
            "unit": [reg[n].unit for n in names],
        },
        index=pd.Index(list(names), name="input"),
    )


def as_function(
    scenario: Scenario, output: Output | str | None = None
) -> tuple[Callable[[FloatArray], FloatArray], list[Any], list[str]]:
    """The scenario's output as a plain vectorized function of its uncertain inputs.

    Parameters
    ----------
    scenario : Scenario
    output : Output or str
        What to compute (a perspective name is short for ``Output(perspective)``).

    Returns
    -------
    func : callable
        Maps an ``(n, d)`` array of input values (natural units, the registry's
        dollar years) to the ``(n,)`` outputs, in dollars.
    dists : list of scipy frozen distributions
        Each input's distribution (the policy's; for an input uncertain only
        in the baseline, the baseline's). A value ``x`` of a shared input sets
        the baseline to the same quantile of its own distribution.
    names : list of str
        The inputs, in column order.

    Examples
    --------
    >>> import enforcecost as ec
    >>> func, dists, names = ec.sensitivity.as_function(ec.load_scenario("eo13768"))
    >>> x = np.array([[d.median() for d in dists]])
    >>> func(x).shape
    (1,)
    """
    model = _QuantileModel(scenario, _output(output))
    refs = [model.reference(n) for n in model.names]
    frozen = [r.frozen() for r in refs]

    def func(x: FloatArray) -> FloatArray:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if x.shape[1] != len(frozen):
            raise ValueError(f"'x' must have {len(frozen)} columns (inputs), got {x.shape[1]}")
        u = np.column_stack([d.cdf(x[:, j]) for j, d in enumerate(frozen)])
        return model(u)

    return func, frozen, list(model.names)



#: Blocks per worker each model call of a study is split into on the default backend's
#: pool: one, because each call of the model costs about 30 ms before its first row
#: (eo13768: 30 ms for 1 row, 65 ms for 1,024, 158 ms for 8,192), so that four blocks
#: per worker of a batch of 8,192 runs cost more than the batch in one call.
AUTO_STUDY_BLOCKS_PER_WORKER = 1


@contextmanager
def _model(
    scenario: Scenario, output: Output | tuple[Output, ...], progress: Callable[[int], None] | None,
    backend: BackendLike, workers: int | None, scheduler: str | None, block_size: int | None,
    runs: Callable[[int], int] | None = None,
) -> Iterator[_QuantileModel]:
    """The study's model, its runs on the backend of the arguments (released on exit).

    Given none of ``backend``, ``workers``, ``scheduler``: the default backend
    (:func:`~enforcecost.backends.auto_backend`) of the study's model runs,
    ``runs(d)`` for ``d`` uncertain inputs (at least as many as the study
    makes), against :data:`~enforcecost.backends.PARALLEL_MIN_RUNS`.
    """
    per_worker = 4  # blocks per worker and call: what an explicit backend gets
    if backend is None and workers is None and scheduler is None and runs is not None:
        try:
            work = int(runs(len(uncertain_inputs(scenario))))
        except (TypeError, ValueError, OverflowError):
            work = 0  # a bad option: the study reports it, in this process
        backend = auto_backend(backend, workers, scheduler, work, PARALLEL_MIN_RUNS)
        per_worker = AUTO_STUDY_BLOCKS_PER_WORKER
    with using_backend(backend, workers=workers, scheduler=scheduler) as be:
        yield _QuantileModel(scenario, output, progress,
                             None if isinstance(be, InProcess) else be, block_size, per_worker)
