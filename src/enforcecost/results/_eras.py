"""Two eras side by side: the 2017 order against its 2025 revival (or any two results).

Dollar years differ between eras, so money is compared in **nominal dollars** (then-year
dollars, CBO's convention), window totals of each result's mean over draws; the
pipeline as yearly averages over each window of the policy side, with the impact
against its own baseline beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..provisions import LABELS, PROVISIONS, schedule_values
from ..vocab import PERSPECTIVES
from ._display import clip, html_table, joined
from ._result import Result

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ERA_LEVERS", "ERA_QUANTITIES", "EraComparison", "compare_eras"]

#: The inputs set side by side as levers: registry name and a reader's name.
ERA_LEVERS: tuple[tuple[str, str], ...] = (
    ("ero_officers_added", "ERO officers added (target)"),
    ("hires_per_year_max", "Most hires a year"),
    ("detention_beds", "Detention beds (lever, before appropriations)"),
    ("detainers_per_year", "Detainers a year"),
    ("agreements_287g_added", "287(g) agreements added"),
    ("immigration_judges", "Immigration judges (lever, before appropriations)"),
)

#: The pipeline quantities set side by side, with a reader's name and how a window
#: sums them up: ``mean`` (a yearly average) or ``max`` (the window's peak).
ERA_QUANTITIES: tuple[tuple[str, str, str], ...] = (
    ("officers", "ERO officers on board", "max"),
    ("hires", "Officers hired a year", "mean"),
    ("detention_beds", "Detention beds funded", "max"),
    ("immigration_judges", "Immigration judges", "mean"),
    ("arrests", "ICE interior arrests a year", "mean"),
    ("detention_adp", "Detention, average daily population", "mean"),
    ("court_completions_interior", "Court completions of interior cases a year", "mean"),
    ("removals", "Interior removals a year", "mean"),
    ("removals_total", "All ICE removals a year", "mean"),
    ("court_backlog", "Court cases pending, end of window", "last"),
)


def _billions(v: object) -> str:
    return f"{float(v) / 1e9:,.1f}" if isinstance(v, int | float) else str(v)


def _window(frame: pd.DataFrame, column: str, how: str) -> float:
    values = frame[column].to_numpy(dtype=float)
    if how == "max":
        return float(np.max(values))
    if how == "last":
        return float(values[-1])
    return float(np.mean(values))


@dataclass(frozen=True, repr=False)
class EraComparison:
    """Results of two (or more) eras set side by side.

    Attributes
    ----------
    results : mapping of str to Result
        The eras by name, in the order given.
    """

    results: Mapping[str, Result]

    def __repr__(self) -> str:
        parts = [f"{clip(name, 30)} FY{r.fiscal_years[0]}\u2013FY{r.fiscal_years[-1]}"
                 for name, r in self.results.items()]
        return f"EraComparison({joined(parts)})"

    def _repr_html_(self) -> str:
        return html_table(self.perspectives(), repr(self),
                          "Window totals of each era, nominal dollars (billions), mean over "
                          "draws; the impact against each era's own baseline.",
                          formats=dict.fromkeys(self.results, _billions))

    def perspectives(self) -> pd.DataFrame:
        """Window total of each perspective with ledger lines, by era (nominal dollars)."""
        data = {name: {p: r.mean_total(p, "nominal") for p in PERSPECTIVES}
                for name, r in self.results.items()}
        frame = pd.DataFrame(data)
        frame.index.name = "perspective"
        return frame

    def outlays(self, perspective: str = "federal") -> pd.DataFrame:
        """Window total by provision (its label), by era, nominal dollars.

        Every provision of either era, in table order; zero where an era books none.
        """
        data: dict[str, dict[str, float]] = {}
        for name, r in self.results.items():
            by = r.by_provision(perspective, "nominal").sum(axis=0)  # type: ignore[arg-type]
            data[name] = {LABELS[p]: float(by.get(p, 0.0)) for p in PROVISIONS}
        frame = pd.DataFrame(data)
        frame = frame[(frame != 0).any(axis=1)]
        frame.index.name = "provision"
        return frame

    def pipeline(self) -> pd.DataFrame:
        """The enforcement system of each era: policy side and impact, window summaries.

        Rows are :data:`ERA_QUANTITIES` (yearly averages, peaks or end-of-window
        stocks, as each says); columns ``(era, 'policy')`` and ``(era, 'impact')``,
        the impact being the policy side less the era's baseline.
        """
        cols: dict[tuple[str, str], dict[str, float]] = {}
        for name, r in self.results.items():
            pol = r.pipeline("policy")
            base = r.pipeline("baseline") if r.has_baseline else None
            policy, impact = {}, {}
            for q, label, how in ERA_QUANTITIES:
                if q not in pol:
                    continue
                policy[label] = _window(pol, q, how)
                impact[label] = (policy[label] - _window(base, q, how)
                                 if base is not None else np.nan)
            cols[(name, "policy")] = policy
            cols[(name, "impact")] = impact
        frame = pd.DataFrame(cols)
        frame.index.name = "quantity"
        return frame

    def levers(self) -> pd.DataFrame:
        """The levers each era pulls, policy side: budget authority appropriated (nominal
        dollars, the window's) and the central value of each input of :data:`ERA_LEVERS`
        averaged over the window (a schedule read year by year), by era."""
        data: dict[str, dict[str, float]] = {}
        for name, r in self.results.items():
            sc, years = r.scenario, r.fiscal_years
            settings = sc.settings()
            column = {"Budget authority appropriated in the window ($)": float(sum(
                a for app in sc.appropriations for y, a in app.budget_authority
                if years[0] <= y <= years[-1]))}
            for key, label in ERA_LEVERS:
                s = settings[key]
                values = (np.full(len(years), 1.0) if s.schedule is None
                          else schedule_values(s.schedule, years))
                column[label] = float(np.mean(values * s.value))
            data[name] = column
        frame = pd.DataFrame(data)
        frame.index.name = "lever"
        return frame

    def plot(self, **kwargs: Any) -> Figure:
        """The comparison chart (:func:`enforcecost.plot.eras`)."""
        from ..plot import eras as chart

        return chart(self, **kwargs)


def compare_eras(results: Mapping[str, Result]) -> EraComparison:
    """Set eras side by side: outlays by provision and payer, and the enforcement system.

    Parameters
    ----------
    results : mapping of str to Result
        Results by a reader's name for each era (e.g. ``{"2017 order": r17,
        "2025 revival": r25}``), each against its own baseline.

    Returns
    -------
    EraComparison

    Raises
    ------
    ValueError
        Fewer than two results.

    Examples
    --------
    >>> import enforcecost as ec
    >>> eras = ec.compare_eras({
    ...     "2017": ec.evaluate(ec.load_scenario("eo13768")),
    ...     "2025": ec.evaluate(ec.load_scenario("revival_2025/revival_as_enacted"))})
    >>> list(eras.perspectives().columns)
    ['2017', '2025']
    """
    named = dict(results)
    if len(named) < 2:
        raise ValueError(f"'results' must hold at least two eras: got {len(named)}")
    return EraComparison(named)
