"""The top drivers of a sensitivity study as text: tornado, Morris and Sobol' tables.

Numbers are in millions of dollars as in the CBO tables (``-`` zero, ``*``
between -$500,000 and $500,000); indices with three decimals.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ..sensitivity import assumption_share
from ..vocab import PERSPECTIVE_LABELS
from ._cells import MILLION, fmt_index, fmt_interval, layout, millions, more_rows
from ._registry_view import fmt_value

if TYPE_CHECKING:
    from ..sensitivity import ResearchAgenda, ScenarioMorris, ScenarioSobol, TornadoResult

__all__ = [
    "MONEY_COLUMNS",
    "agenda_shares",
    "assumption_share",
    "in_printed_units",
    "render_agenda",
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


def _pct(x: float) -> str:
    """A share of the variance in percent, cut to [0%, 100%] (an estimate or an interval's
    end can stray past them by sampling error; the share itself cannot)."""
    return f"{min(max(x, 0.0), 1.0):.0%}" if math.isfinite(x) else "nan"


def agenda_shares(agenda: ResearchAgenda, kind: str = "assumption") -> list[str]:
    """One phrase per perspective: the share of its variance resting on ``kind`` inputs.

    Returns
    -------
    list of str
        ``'Federal: 82% (95% interval 77% to 86%)'`` for each perspective
        analysed whose output varies, in the agenda's order; percentages cut
        to [0%, 100%].
    """
    conf = f"{agenda.result.confidence:.0%} interval"
    out = []
    for p in agenda.perspectives:
        st, low, high = agenda.share(p, kind)
        if not math.isfinite(st):
            continue
        out.append(f"{PERSPECTIVE_LABELS[p]}: {_pct(st)} ({conf} {_pct(low)} to {_pct(high)})")
    return out


def _clipped_lines(text: str, width: int, indent: str, lines: int) -> list[str]:
    """``text`` wrapped to ``width`` after ``indent``, at most ``lines`` lines (``...``)."""
    wrapped = textwrap.wrap(text, max(width - len(indent), 10))
    if len(wrapped) > lines:
        last = wrapped[lines - 1]
        room = width - len(indent) - 3
        wrapped = [*wrapped[: lines - 1], (last if len(last) <= room else last[:room]) + "..."]
    return [indent + ln for ln in wrapped]


def render_agenda(agenda: ResearchAgenda, *, top: int = 10, width: int = 80) -> str:
    """A research agenda as text: per perspective, the top inputs by total index.

    Parameters
    ----------
    agenda : ResearchAgenda
        From :func:`enforcecost.sensitivity.research_agenda`.
    top : int
        Inputs shown per perspective (rank 1 first; the CSV has them all).
    width : int
        Maximum line length (citations are wrapped and cut to fit).

    Returns
    -------
    str
        A heading with the design; then, per perspective, the share of its
        variance resting on assumptions and a row per input: rank, name, total
        index ST with its interval and first-order index S1; under it the
        range sampled (the central value in parentheses) and the citation.
    """
    frame = agenda.to_frame()
    r = agenda.result
    conf = f"{r.confidence:.0%} interval"
    kinds = " and ".join(agenda.kinds)
    seed = "" if agenda.seed is None else f", seed {agenda.seed}"
    sc = agenda.scenario
    name = "" if sc is None else f": {sc.name}"
    intro = (f"Inputs resting on {kinds} sources, ranked by their Sobol' total index ST: the "
             "share of the variance they take part in, alone or with others. S1: the share "
             "removed, on average, if the input were known exactly. "
             f"{r.n:,} base points in {r.replicates} scrambled replicates{seed}, "
             f"{r.evaluations:,} model runs.")
    if agenda.kinds == ("assumption",):
        intro = intro.replace("resting on assumption sources", "resting on assumptions")
    out = [f"Research agenda{name}"[:width], *textwrap.wrap(intro, width)]
    for p in agenda.perspectives:
        rows = frame[frame["perspective"] == p]
        out += ["", agenda.labels[p][:width]]
        st, low, high = agenda.share(p)
        if not math.isfinite(st):
            out.append("The output does not vary with the inputs: no ranking.")
            continue
        out += textwrap.wrap(f"All assumptions together (grouped ST): {_pct(st)} of the "
                             f"variance ({conf} {_pct(low)} to {_pct(high)}).", width)
        if rows.empty:
            out.append("None listed.")
            continue
        shown = rows.iloc[:top]
        name_w = max(len("parameter"), *(len(str(x)) for x in shown["parameter"]))
        head = f"{'rank':>4}  {'parameter':<{name_w}}  {'ST':>5}  {conf:>16}  {'S1':>6}"
        out += [head, "-" * len(head)]
        for _, row in shown.iterrows():
            interval = fmt_interval(row["ST_low"], row["ST_high"])
            out.append(f"{row['rank']:>4}  {row['parameter']:<{name_w}}  "
                       f"{fmt_index(row['ST']):>5}  {interval:>16}  {fmt_index(row['S1']):>6}")
            multiplier = " (multiplier of its by_year schedule)" if row["by_year"] else ""
            where = "" if row["set_in"] == "registry" else f"; set in {row['set_in']}"
            rng = (f"range {fmt_value(row['low'], 1e4)} to {fmt_value(row['high'], 1e4)} "
                   f"{row['unit']}{multiplier} (central {fmt_value(row['value'], 1e4)}){where}")
            out += _clipped_lines(rng, width, "      ", 2)
            out += _clipped_lines(f"source: {row['citation']}", width, "      ", 2)
        out += more_rows(len(shown), len(rows), "smaller ST")
    return "\n".join(out)
