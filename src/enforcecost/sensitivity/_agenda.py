"""The research agenda: a scenario's unsourced inputs ranked by their share of the variance.

:func:`research_agenda` runs one Sobol' design whose model runs give every
perspective's output at once, grouped by source kind, and ranks the inputs of
the chosen source kinds (by default the ``assumption`` ones: no source found)
by their total-effect index in each perspective, with the range the scenario
samples and the registry's citation. The first rows are the next numbers to
source: pinning one down removes, on average, its first-order share ``S1`` of
the variance, and fixing it could remove as much as its total share ``ST``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from scipy import stats

from ..backends import BackendLike
from ..model import uncertain_inputs
from ..registry import registry
from ..scenario import Scenario
from ..vocab import BASES, PERSPECTIVES, SOURCE_KINDS, Basis, Perspective
from ._common import REPLICATES
from ._results import SobolResult
from ._saltelli import _blocks, _check_groups
from ._scenario import Output, _meta, _model
from ._sobol import sobol_indices

__all__ = ["AGENDA_COLUMNS", "ResearchAgenda", "agenda_frame", "agenda_runs", "research_agenda"]

#: The columns of a research agenda, in order (:meth:`ResearchAgenda.to_frame`).
AGENDA_COLUMNS = (
    "perspective", "rank", "parameter", "ST", "ST_low", "ST_high", "S1", "source_kind",
    "provision", "value", "low", "high", "unit", "by_year", "set_in", "citation",
)


def agenda_frame(
    indices: pd.DataFrame,
    scenario: Scenario,
    perspective: str,
    kinds: Sequence[str] = ("assumption",),
) -> pd.DataFrame:
    """Rank the inputs of ``kinds`` by their total index, with range and citation.

    Parameters
    ----------
    indices : DataFrame
        Per-input Sobol' indices of one output (columns ``S1``, ``ST``,
        ``ST_low``, ``ST_high``), indexed by input name, as
        :meth:`SobolResult.to_frame` gives them.
    scenario : Scenario
        The scenario analysed: each input's central value and range are the
        ones it samples (the policy's setting; for an input uncertain only in
        the baseline, the baseline's).
    perspective : str
        The output's perspective (the ``perspective`` column).
    kinds : sequence of str
        Source kinds to list (``'seed'``, ``'published'``, ``'derived'``,
        ``'assumption'``).

    Returns
    -------
    DataFrame
        One row per input of ``kinds``, largest ``ST`` first (ties keep the
        inputs' order), with the columns of :data:`AGENDA_COLUMNS`: ``rank``
        (1 = the largest total index among the listed inputs), ``ST`` and its
        interval and ``S1`` (shares of the output's variance), ``value`` (the
        central value), ``low`` and ``high`` (the ends of the sampled range:
        the support of a bounded distribution, else its 5th and 95th
        percentiles; for an input scheduled ``by_year`` these are its
        multiplier's), ``unit``, ``set_in`` (``'registry'`` or the scenario
        file that sets the input) and the registry's ``citation``.
    """
    kinds = _check_kinds(kinds)
    meta = _meta(list(indices.index))
    frame = indices[["ST", "ST_low", "ST_high", "S1"]].join(meta)
    frame = frame[frame["source_kind"].isin(kinds)]
    frame = frame.sort_values("ST", ascending=False, kind="stable")
    reg = registry()
    settings = scenario.settings()
    base = scenario.baseline.settings() if scenario.baseline is not None else {}
    rows = []
    for rank, (name, r) in enumerate(frame.iterrows(), start=1):
        setting = settings[str(name)]
        if setting.dist is None:  # uncertain only in the baseline
            setting = base[str(name)]
        assert setting.dist is not None
        low, high = setting.dist.range
        rows.append({
            "perspective": perspective, "rank": rank, "parameter": str(name),
            "ST": float(r["ST"]), "ST_low": float(r["ST_low"]), "ST_high": float(r["ST_high"]),
            "S1": float(r["S1"]), "source_kind": str(r["source_kind"]),
            "provision": str(r["provision"]), "value": float(setting.value),
            "low": low, "high": high, "unit": str(r["unit"]),
            "by_year": setting.schedule is not None, "set_in": setting.source,
            "citation": reg[str(name)].citation,
        })
    return pd.DataFrame(rows, columns=list(AGENDA_COLUMNS))


def agenda_runs(scenario: Scenario, n: int) -> int:
    """Model runs :func:`research_agenda` makes on ``scenario`` with ``n`` base points.

    ``n`` times the blocks of its one design: ``A``, ``B``, one per uncertain
    input and one per source kind of two or more inputs (every perspective's
    output comes from the same runs).
    """
    names = tuple(uncertain_inputs(scenario))
    groups = _check_groups(list(_meta(names)["source_kind"]), names)
    return n * len(_blocks(len(names), groups)[0])


def _check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    if isinstance(kinds, str):
        kinds = (kinds,)
    out = tuple(kinds)
    bad = [k for k in out if k not in SOURCE_KINDS]
    if not out or bad:
        raise ValueError(f"'kinds' must name source kinds among {list(SOURCE_KINDS)}: "
                         f"{list(out)!r}")
    return out


def _check_perspectives(perspectives: Sequence[str] | str | None) -> tuple[Perspective, ...]:
    if perspectives is None:
        return tuple(PERSPECTIVES)
    if isinstance(perspectives, str):
        perspectives = (perspectives,)
    out = tuple(perspectives)
    bad = [p for p in out if p not in PERSPECTIVES]
    if not out or bad or len(set(out)) != len(out):
        raise ValueError(f"'perspectives' must be distinct perspectives among "
                         f"{list(PERSPECTIVES)}: {list(out)!r}")
    return out  # type: ignore[return-value]


@dataclass(frozen=True)
class ResearchAgenda:
    """A scenario's inputs of some source kinds, ranked by their share of the variance.

    Attributes
    ----------
    frame : DataFrame
        The ranking, perspective by perspective (:data:`AGENDA_COLUMNS`; see
        :func:`agenda_frame`).
    by_source : DataFrame
        Grouped indices by source kind, indexed by (perspective, source_kind):
        ``S1, S1_low, S1_high, ST, ST_low, ST_high``; the ``assumption`` row's
        ``ST`` is the share of the variance resting on assumptions.
    perspectives : tuple of str
        The perspectives analysed, in the order given.
    kinds : tuple of str
        The source kinds listed in :attr:`frame`.
    labels : dict of str to str
        Each perspective's output in words (:meth:`Output.label`).
    result : SobolResult
        The multi-output Sobol' result the ranking comes from (per-input indices;
        its groups are the source kinds).
    seed : int or None
        The seed of the design.
    """

    frame: pd.DataFrame
    by_source: pd.DataFrame
    perspectives: tuple[Perspective, ...]
    kinds: tuple[str, ...]
    labels: dict[str, str]
    result: SobolResult = field(repr=False)
    seed: int | None = None
    scenario: Scenario | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        """Base points of the design."""
        return self.result.n

    @property
    def evaluations(self) -> int:
        """Model runs the study made (each gives every perspective's output)."""
        return self.result.evaluations

    def to_frame(self) -> pd.DataFrame:
        """The ranking (a copy): one row per perspective and input, ``rank`` 1 first."""
        return self.frame.copy()

    def share(self, perspective: str, kind: str = "assumption") -> tuple[float, float, float]:
        """The grouped total index of the inputs of ``kind``: (ST, low, high).

        NaN when the perspective's output does not vary; 0 when no uncertain
        input is of that kind.

        Raises
        ------
        KeyError
            If ``perspective`` was not analysed.
        """
        if perspective not in self.perspectives:
            raise KeyError(f"perspective {perspective!r} was not analysed: "
                           f"{list(self.perspectives)}")
        _check_kinds((kind,))
        key = (perspective, kind)
        if key not in self.by_source.index:
            return (0.0, 0.0, 0.0)
        st, low, high = self.by_source.loc[key, ["ST", "ST_low", "ST_high"]].to_numpy(
            dtype=float)
        return float(st), float(low), float(high)


def research_agenda(
    scenario: Scenario,
    perspectives: Sequence[str] | str | None = None,
    *,
    n: int = 1024,
    seed: int | None = None,
    replicates: int = REPLICATES,
    kinds: Sequence[str] = ("assumption",),
    basis: Basis = "nominal",
    years: int | tuple[int, ...] | None = None,
    batch: int | None = 8192,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    backend: BackendLike = None,
    block_size: int | None = None,
) -> ResearchAgenda:
    """Rank a scenario's unsourced inputs by their Sobol' share of each perspective's variance.

    One Sobol' design grouped by source kind (:func:`sobol_indices`), whose
    model runs give every perspective's output at once: ``n * (d + G + 2)``
    runs for ``d`` uncertain inputs and ``G`` source kinds with two or more
    inputs. The per-input indices of a perspective are those
    :func:`enforcecost.sensitivity.sobol` gives for it with the same ``n``,
    ``seed`` and ``replicates`` (up to rounding).

    Parameters
    ----------
    scenario : Scenario
    perspectives : str or sequence of str, optional
        Whose net cost (or impact, with a baseline) to explain: ``'federal'``,
        ``'state_local'``, ``'government'``, ``'economy'`` (default: all four).
        A perspective whose output does not vary has NaN indices and no rows.
    n : int, default 1024
        Base points over all replicates; ``n / replicates`` a power of 2.
    seed : int, optional
        The design's seed (None: fresh entropy, a different ranking each call).
    replicates : int, default 16
        Independent scramblings, for the confidence intervals.
    kinds : sequence of str, default ('assumption',)
        The source kinds to rank.
    basis : {'nominal', 'real', 'pv'}, default 'nominal'
        Dollars of the outputs.
    years : int, tuple of int or None
        The span of the outputs (:class:`Output`): None, the whole window.
    batch : int or None
        Model runs evaluated at a time (bounds memory; results do not depend on it).
    progress : callable, optional
        Called with the number of model runs after each batch.
    workers, scheduler, backend, block_size
        Where the model runs go, as in :func:`enforcecost.sensitivity.sobol`.

    Returns
    -------
    ResearchAgenda
        ``to_frame()``: per perspective, the inputs of ``kinds`` by total index
        (``rank`` 1 first) with the range sampled and the citation;
        ``share(perspective)``: the share of the variance resting on
        assumptions.

    Raises
    ------
    ValueError
        If an argument breaks a rule (the message names it, the rule and the
        value), or the scenario has no uncertain inputs.

    Examples
    --------
    >>> import enforcecost as ec
    >>> agenda = ec.research_agenda(ec.load_scenario("eo13768"), "federal", n=256, seed=1)
    >>> agenda.to_frame().loc[0, ["perspective", "rank"]].tolist()
    ['federal', 1]
    """
    persp = _check_perspectives(perspectives)
    kinds_ = _check_kinds(kinds)
    if basis not in BASES:
        raise ValueError(f"'basis' must be one of {list(BASES)}: {basis!r}")
    outputs = tuple(Output(perspective=p, basis=basis, years=years) for p in persp)
    with _model(scenario, outputs, progress, backend, workers, scheduler, block_size,
                lambda d: n * (d + 2)) as model:
        meta = _meta(model.names)
        unit = [stats.uniform(0.0, 1.0)] * len(model.names)
        res = sobol_indices(
            model, unit, n, seed=seed, replicates=replicates,
            groups=list(meta["source_kind"]), names=model.names,
            output_names=list(persp), batch=batch,
        )
    per_input = res.to_frame()
    frames = []
    for p in persp:
        indices = per_input.xs(p, level="output")
        assert isinstance(indices, pd.DataFrame)
        if not indices["ST"].notna().any():
            continue  # the output does not vary: its indices are undefined
        frames.append(agenda_frame(indices, scenario, p, kinds_))
    frame = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=list(AGENDA_COLUMNS)))
    by_source = res.group_frame().rename_axis(["perspective", "source_kind"])
    labels = {str(out.perspective): out.label(scenario) for out in outputs}
    return ResearchAgenda(frame, by_source, persp, kinds_, labels, res, seed, scenario)
