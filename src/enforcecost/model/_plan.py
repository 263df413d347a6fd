"""The plan of a simulation: what every block needs besides its rows, made once.

:func:`plan_simulation` books one run at central values of each side
(milliseconds) to learn the ledger lines, chooses the kept detail, and for a
reduction-only run takes the reference totals from that same run; it builds
one :class:`Plan`. :func:`correlation_plan` gives the design's rank
correlations, which the plan carries to every block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..registry import Window
from ..results import ALL_ITEMS, ALL_PROVISIONS, Totals
from ..sampling import Correlate
from ..scenario import Sampler, Scenario
from ..vocab import PAYERS
from ._ledger import _book_sides, _labels
from ._totals import _perspectives, _totals
from ._values import _sides, uncertain_inputs

Detail = Literal["lines", "provisions", "payers", "summary"]

#: Ledger detail a Monte Carlo result keeps per draw, finest first: every line;
#: lines summed by (provision, payer, kind); lines summed by (payer, kind).
DETAILS: tuple[Detail, ...] = ("lines", "provisions", "payers")
#: The reduction-only mode: exact means, distributions of the totals by perspective
#: (quantile sketches), no per-draw values (see :class:`~enforcecost.results.Reduced`).
SUMMARY: Detail = "summary"
#: Draws a reduction-only result keeps in full (payer detail), for per-draw views.
FIRST_DRAWS = 1 << 14
_GROUP_KEYS: dict[str, list[str]] = {
    "provisions": ["provision", "payer", "kind"],
    "payers": ["payer", "kind"],
}
_FIVE_YEARS = 5


def _grouping(lines: pd.DataFrame, detail: str) -> tuple[pd.DataFrame, list[int]]:
    """Labels of the kept detail, and the kept row each line is summed into."""
    if detail in ("lines", SUMMARY):
        return lines, list(range(len(lines)))
    keys = _GROUP_KEYS[detail]
    labels = lines[keys].drop_duplicates().reset_index(drop=True)
    if "provision" not in keys:
        labels.insert(0, "provision", ALL_PROVISIONS)
    labels.insert(1, "item", ALL_ITEMS)
    labels = labels[["provision", "item", "payer", "kind"]]
    pos = pd.MultiIndex.from_frame(labels[keys]).get_indexer(
        pd.MultiIndex.from_frame(lines[keys])
    )
    return labels, [int(i) for i in pos]


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a block task needs besides its rows: picklable, the same for every block.

    Attributes
    ----------
    scenario : Scenario
        With its baseline, if any.
    names : tuple of str
        The uncertain inputs (columns of the design).
    draws, seed : int
    sampler : {'sobol', 'lhs', 'random'}
        The design: rows ``start..stop`` of ``design(len(names), draws, ...)``.
    detail : {'lines', 'provisions', 'payers', 'summary'}
        What each draw keeps.
    lines : tuple of DataFrame
        Every ledger line (provision, item, payer, kind) of each side, in booking order.
    rows : tuple of tuple of int
        Each side's kept row of each line: the detail's rows; for ``summary``
        the payer rows of the draws kept in full.
    kept : tuple of DataFrame
        Labels of each side's kept rows.
    payers, spans, reference
        ``summary``: payers with ledger lines, first-N-years spans of the
        window totals, and the central-value total of each channel of the
        kept distributions, shape ``(channels,)`` (the layout of
        :class:`~enforcecost.results.Totals`).
    first : int
        ``summary``: draws kept in full.
    cross_price : bool
        The baseline's price level can differ from the policy's (different
        ``inflation_projection``): the nominal impact is then each side's
        amounts at its own price level, policy minus baseline.
    correlate : Correlate or None
        The design's rank correlations (:func:`correlation_plan`), made once
        for every block.
    """

    scenario: Scenario
    names: tuple[str, ...]
    draws: int
    seed: int
    sampler: Sampler
    detail: Detail
    lines: tuple[pd.DataFrame, ...]
    rows: tuple[tuple[int, ...], ...]
    kept: tuple[pd.DataFrame, ...]
    payers: tuple[str, ...] = ()
    spans: tuple[int, ...] = ()
    reference: np.ndarray | None = None
    first: int = 0
    cross_price: bool = False
    correlate: Correlate | None = None

    @property
    def sides(self) -> tuple[Scenario, ...]:
        return _sides(self.scenario)

    @property
    def window(self) -> Window:
        return Window(self.scenario.start_year, self.scenario.years)

    @property
    def perspectives(self) -> tuple[str, ...]:
        """``summary``: the perspectives whose totals are kept (those with ledger lines)."""
        return _perspectives(self.payers)

    @property
    def channels(self) -> int:
        """``summary``: channels of the kept distributions."""
        return Totals.size(len(self.perspectives), len(self.spans))


def _choose_detail(
    detail: str, draws: int, years: int, lines: Sequence[pd.DataFrame], max_bytes: int,
) -> Detail:
    """The detail asked for, or for ``'auto'`` the finest whose cube fits in ``max_bytes``."""
    if detail != "auto":
        if detail not in (*DETAILS, SUMMARY):
            raise ValueError(f"'detail' must be 'auto' or one of {', '.join(DETAILS)}, "
                             f"{SUMMARY}: {detail!r}")
        return detail
    for level in DETAILS:
        k = sum(len(_grouping(side, level)[0]) for side in lines)
        if draws * years * k * np.dtype(np.float64).itemsize <= max_bytes:
            return level
    return SUMMARY


def plan_simulation(
    scenario: Scenario,
    draws: int,
    seed: int,
    sampler: Sampler,
    *,
    detail: Detail | Literal["auto"] = "auto",
    max_bytes: int = 1 << 30,
) -> Plan:
    """The :class:`Plan` of a simulation: lines, kept detail and reference totals.

    Books one run at central values of each side (milliseconds) to learn the
    lines; a ``summary`` plan also takes its reference totals from it.

    Parameters
    ----------
    scenario : Scenario
        With its baseline, if any.
    draws, seed : int
    sampler : {'sobol', 'lhs', 'random'}
    detail : {'auto', 'lines', 'provisions', 'payers', 'summary'}
        See :func:`~enforcecost.model.simulate`.
    max_bytes : int
        Budget of the kept per-draw cube for ``'auto'``, bytes.

    Returns
    -------
    Plan
    """
    names = tuple(uncertain_inputs(scenario))
    window = Window(scenario.start_year, scenario.years)
    with np.errstate(all="ignore"):  # out-of-range values: magnitude_problems, run_block
        books = _book_sides(scenario, names, None, 1)
    lines = tuple(_labels(b[0]) for b in books)
    level = _choose_detail(detail, draws, window.years, lines, max_bytes)
    grouped = [_grouping(side, "payers" if level == SUMMARY else level) for side in lines]
    payers: tuple[str, ...] = ()
    spans: tuple[int, ...] = ()
    reference: np.ndarray | None = None
    cross = False
    if level == SUMMARY:
        present = set().union(*(set(side["payer"]) for side in lines))
        payers = tuple(p for p in PAYERS if p in present)
        spans = (_FIVE_YEARS, window.years) if window.years > _FIVE_YEARS else (window.years,)
        base = scenario.baseline
        cross = base is not None and (
            scenario.settings()["inflation_projection"] != base.settings()["inflation_projection"]
        )
        central = [(b[0], np.broadcast_to(b[1], (1, window.years)), b[2]) for b in books]
        with np.errstate(all="ignore"):
            reference = _totals(central, 1, window, scenario.discount_rate, payers, spans,
                                cross)[:, 0]
    return Plan(
        scenario=scenario, names=names, draws=draws, seed=seed, sampler=sampler,
        detail=level, lines=lines, rows=tuple(tuple(g[1]) for g in grouped),
        kept=tuple(g[0] for g in grouped), payers=payers, spans=spans, reference=reference,
        first=min(draws, FIRST_DRAWS) if level == SUMMARY else 0, cross_price=cross,
        correlate=correlation_plan(scenario, names),
    )


def correlation_plan(scenario: Scenario, names: Sequence[str]) -> Correlate | None:
    """The scenario's rank correlations as design columns and matrix (None without any).

    Policy and baseline share one design, so the policy's correlations apply to both.
    """
    if not scenario.correlations:
        return None
    inputs = sorted({n for a, b, _ in scenario.correlations for n in (a, b)}, key=names.index)
    matrix = np.eye(len(inputs))
    for a, b, r in scenario.correlations:
        i, j = inputs.index(a), inputs.index(b)
        matrix[i, j] = matrix[j, i] = r
    cols = tuple(names.index(n) for n in inputs)
    return cols, tuple(tuple(float(x) for x in row) for row in matrix)

