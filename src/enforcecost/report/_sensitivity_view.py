"""The top drivers of a sensitivity study as text: tornado, Morris and Sobol' tables.

Numbers are in millions of dollars as in the CBO tables (``-`` zero, ``*``
between -$500,000 and $500,000); indices with three decimals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ..sensitivity import assumption_share
from ._cells import MILLION, fmt_index, fmt_interval, layout, millions, more_rows

if TYPE_CHECKING:
    from ..sensitivity import ScenarioMorris, ScenarioSobol, TornadoResult

__all__ = [
    "MONEY_COLUMNS",
    "assumption_share",
    "in_printed_units",
    "render_morris",
    "render_sobol",
    "render_tornado",
]

#: The money columns (dollars) of each study's table, by the table's file stem.
MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "tornado": ("low_output", "high_output", "swing"),
    "morris": ("mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"),
}


def in_printed_units(stem: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A study's table in the units its text table prints: money in millions of dollars.

    Parameters
    ----------
    stem : str
        The table's file stem (:meth:`~enforcecost.sensitivity.Method.frames`):
        ``'tornado'``, ``'morris'``, ``'sobol'``, ...
    frame : DataFrame
        The table as the library gives it (money in dollars).

    Returns
    -------
    DataFrame
        A copy whose money columns (:data:`MONEY_COLUMNS`) are divided by a
        million and renamed ``<column>_millions``, as the CSVs of a batch run
        name theirs; a table without money (Sobol' indices, shares of
        variance) as it is.

    Examples
    --------
    >>> frame = pd.DataFrame({"swing": [2.5e9], "provision": ["hiring"]})
    >>> in_printed_units("tornado", frame).to_dict("records")
    [{'swing_millions': 2500.0, 'provision': 'hiring'}]
    """
    money = [c for c in MONEY_COLUMNS.get(stem, ()) if c in frame.columns]
    out = frame.copy()
    out[money] = out[money] / MILLION
    return out.rename(columns={c: f"{c}_millions" for c in money})


def render_tornado(res: TornadoResult, *, top: int = 15) -> str:
    """The ``top`` inputs of a tornado study by swing, as text ($ millions).

    Parameters
    ----------
    res : TornadoResult
        From :func:`enforcecost.sensitivity.tornado`.
    top : int
        Rows shown (largest swings first).

    Returns
    -------
    str
        A heading with the output and its central value, then per input: name,
        provision, source kind, the output with the input at the low and at
        the high end of its range and the swing between them.
    """
    frame = res.frame
    shown = frame.iloc[:top]
    rows = [
        [str(name), str(r["provision"]), str(r["source_kind"]), millions(r["low_output"]),
         millions(r["high_output"]), millions(r["swing"])]
        for name, r in shown.iterrows()
    ]
    headers = ["input", "provision", "source kind", "low $M", "high $M", "swing $M"]
    return "\n".join([
        f"Tornado: {res.label}",
        "Each uncertain input at the low and the high end of its range, the others at their "
        "central values;",
        "low/high: the output then, millions of dollars. "
        f"Central value: {millions(res.base)}.",
        "",
        *layout(headers, rows, left=3),
        *more_rows(len(shown), len(frame), "smaller swings"),
    ])


def render_morris(res: ScenarioMorris, *, top: int = 15) -> str:
    """The ``top`` inputs of a Morris screening by mu*, as text ($ millions).

    Parameters
    ----------
    res : ScenarioMorris
        From :func:`enforcecost.sensitivity.morris`.
    top : int
        Rows shown (largest mu* first).

    Returns
    -------
    str
        A heading with the design, then per input: name, provision, source
        kind, mu* with its bootstrap interval, sigma and mu.
    """
    frame = res.to_frame()
    shown = frame.iloc[:top]
    m = res.result
    rows = [
        [str(name), str(r["provision"]), str(r["source_kind"]), millions(r["mu_star"]),
         fmt_interval(r["mu_star_low"], r["mu_star_high"], millions), millions(r["sigma"]),
         millions(r["mu"])]
        for name, r in shown.iterrows()
    ]
    headers = ["input", "provision", "source kind", "mu* $M", f"{m.confidence:.0%} interval",
               "sigma $M", "mu $M"]
    return "\n".join([
        f"Morris screening: {res.label}",
        f"{m.trajectories} trajectories, {m.levels} levels, {m.evaluations:,} model runs. "
        "Elementary effects: the change of the output when an input",
        "moves from its 5th to its 95th percentile, millions of dollars. mu* = mean absolute "
        "effect (bootstrap interval);",
        "sigma = their spread (non-linear effects or interactions); mu = mean (signed).",
        "",
        *layout(headers, rows, left=3),
        *more_rows(len(shown), len(frame), "smaller mu*"),
    ])


def _index_rows(frame: pd.DataFrame, lead: Sequence[str]) -> list[list[str]]:
    return [
        [str(name), *(str(r[c]) for c in lead), fmt_index(r["S1"]),
         fmt_interval(r["S1_low"], r["S1_high"]), fmt_index(r["ST"]),
         fmt_interval(r["ST_low"], r["ST_high"])]
        for name, r in frame.iterrows()
    ]


def render_sobol(res: ScenarioSobol, *, top: int = 15) -> str:
    """The ``top`` inputs of a Sobol' study by total index, the grouped indices and
    the share resting on assumptions, as text.

    Parameters
    ----------
    res : ScenarioSobol
        From :func:`enforcecost.sensitivity.sobol`.
    top : int
        Input rows shown (largest ST first).

    Returns
    -------
    str
        A heading with the design and the output's mean and standard
        deviation, the inputs' S1 and ST with intervals, the indices grouped
        by provision and by source kind, and :func:`assumption_share`.
    """
    r = res.result
    frame = res.to_frame()
    shown = frame.iloc[:top]
    conf = f"{r.confidence:.0%} interval"
    runs = r.evaluations + (res.by_source.evaluations if res.by_source is not None else 0)
    sd = math.sqrt(float(r.variance))
    out = [
        f"Sobol' indices: {res.label}",
        f"{r.n:,} base points in {r.replicates} scrambled replicates, {runs:,} model runs; "
        f"output mean {millions(float(r.mean))}, sd {millions(sd)} ($ millions).",
        "S1: share of the variance an input explains alone; ST: including its interactions. "
        "Intervals from the replicates.",
        "",
        *layout(["input", "provision", "source kind", "S1", conf, "ST", conf],
                 _index_rows(shown, ["provision", "source_kind"]), left=3),
        *more_rows(len(shown), len(frame), "smaller ST"),
        "",
        "By provision (the inputs of each provision together)",
        *layout(["provision", "S1", conf, "ST", conf],
                 _index_rows(res.by_provision().sort_values("ST", ascending=False), [])),
    ]
    if res.by_source is not None:
        out += [
            "",
            "By source kind (the inputs resting on each kind of source together)",
            *layout(["source kind", "S1", conf, "ST", conf],
                     _index_rows(res.by_source_kind().sort_values("ST", ascending=False), [])),
        ]
    out += ["", assumption_share(res)]
    return "\n".join(out)
