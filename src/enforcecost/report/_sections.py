"""Report sections a scenario asks for: budget authority and outlays, and two eras compared.

Each is a :class:`Section`: a title, a paragraph, a typeset table (strings) and its
frame (numbers, for the workbook), and optionally a chart. Every renderer (Markdown,
the brief's HTML and Typst, the matplotlib PDF, the workbook) shows them the same way.

* **Budget authority and outlays**, for a scenario with ``[appropriations]``: by fiscal
  year, the budget authority enacted, the outlays its spend-out rule gives, the model's
  federal outlays (the impact, mean over draws) and CBO's committee-stage figures.
* **Two eras**, for a scenario whose ``[scenario] compare_with`` names another: outlays
  by provision and payer, and the enforcement system, side by side
  (:func:`enforcecost.compare_eras`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..results import Result, compare_eras
from ..results._eras import EraComparison
from ..scenario import appropriations_data, budget_authority

__all__ = ["CBO_TABLES", "Section", "budget_section", "era_section", "eras_of"]

#: CBO's tables set beside the appropriations (keys of the data file's ``[cbo.*]``).
CBO_TABLES = ("house_judiciary_title_vii", "house_homeland_title_vi")


@dataclass(frozen=True)
class Section:
    """One section of a report.

    Attributes
    ----------
    id : str
        Anchor and sheet name.
    title : str
    intro : str
        The paragraph above the table.
    header : tuple of str
    rows : tuple of tuple of str
        The table as typeset (numbers formatted).
    frame : DataFrame
        The same numbers, unformatted (the workbook's sheet).
    unit : str
        The unit of the frame's amounts (the workbook's title row).
    chart : str or None
        The stem of its chart among the report's figures.
    """

    id: str
    title: str
    intro: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    frame: pd.DataFrame
    unit: str
    chart: str | None = None


def _m(x: float) -> str:
    """Millions of dollars, CBO style: a dash for zero, a minus sign for negatives."""
    if not np.isfinite(x):
        return ""
    v = x / 1e6
    if abs(v) < 0.5:
        return "-"
    return f"{v:,.0f}".replace("-", "\u2212")


def budget_section(res: Result) -> Section | None:
    """Budget authority and outlays of a scenario's appropriations (None without any)."""
    sc = res.scenario
    if not sc.appropriations:
        return None
    table = budget_authority(sc)
    years = list(range(int(res.fiscal_years[0]), int(res.fiscal_years[-1]) + 1))
    ba = table.groupby("fiscal_year")["budget_authority"].sum().reindex(years, fill_value=0.0)
    spent = table.groupby("fiscal_year")["outlays"].sum().reindex(years, fill_value=0.0)
    lines = res.lines  # one row per ledger line: provision, item, payer, kind
    keep = ((lines["payer"] == "federal") & lines["kind"].isin(("outlay", "transfer"))).to_numpy()
    means = res.mean_cube("nominal")  # (years, lines), mean over draws
    model = pd.Series(means[:, keep].sum(axis=1), index=years)
    frame = pd.DataFrame({"budget_authority": ba, "outlays_spend_out": spent,
                          "model_federal_outlays": model})
    cbo = appropriations_data().get("cbo", {})
    titles = []
    for key in CBO_TABLES:
        t = cbo.get(key)
        if t is None:
            continue
        out = {int(y): float(v) * 1e6 for y, v in t["outlays"].items()}
        frame[f"cbo_{key}_outlays"] = [out.get(y, np.nan) for y in years]
        titles.append((key, t))
    frame.index.name = "fiscal_year"
    total = frame.sum(axis=0, min_count=1)
    header = ("FY", "Budget authority", "Outlays, spend-out rule", "Model federal outlays",
              *(_cbo_short(k) for k, _ in titles))
    rows = [(str(y), *(_m(float(v)) for v in frame.loc[y].to_numpy(dtype=float)))
            for y in years]
    rows.append((f"FY{years[0]}\u2013{years[-1]}", *(_m(float(v)) for v in total)))
    rules = sorted({f"{a.spend_out}" for a in sc.appropriations})
    ba_all = float(table["budget_authority"].sum())
    out_all = float(table["outlays"].sum())
    ba_in, out_in = float(frame["budget_authority"].sum()), float(spent.sum())
    cbo_words = "; ".join(
        f"{_cbo_short(k)}: {t.get('title', k)}, {t.get('version', '')}, budget authority "
        f"${sum(float(v) for v in t['budget_authority'].values()) / 1e3:,.1f} billion"
        for k, t in titles)
    intro = (
        "Appropriations are budget authority; the model's costs are outlays. Each "
        "appropriation of the scenario is spent out by its rule ("
        + ", ".join(rules) + "; docs/architecture.md, Appropriations): the outlays buy "
        "detention beds, officers and immigration judges at the model's unit costs (a "
        "funding cap), ICE's other operations are booked as outlaid, and the state and "
        "local funds are a transfer. 'Model federal outlays' are the federal impact's "
        "outlays and transfers (mean over draws): below the spend-out where the capacity "
        "bought goes unused (beds the arrests do not fill), above it by the order's other "
        f"costs. Budget authority in the window: ${ba_in / 1e9:,.1f} billion, and "
        f"${out_in / 1e9:,.1f} billion of outlays by the spend-out rule (of all the "
        f"scenario's appropriations: ${ba_all / 1e9:,.1f} billion, "
        f"${out_all / 1e9:,.1f} billion outlaid by FY{int(table['fiscal_year'].max())}). "
        "CBO's figures, for comparison, are its committee-stage estimates (no title-level "
        "table of the enacted law was found), of titles that also carry money outside the "
        f"model (the border wall, other DOJ purposes): {cbo_words}. Millions of nominal "
        "dollars; a dash is zero.")
    return Section(id="budget", title="Budget authority and outlays", intro=intro,
                   header=header, rows=tuple(rows), frame=frame,
                   unit="nominal dollars", chart=None)


def _cbo_short(key: str) -> str:
    return {"house_judiciary_title_vii": "CBO, House Judiciary title",
            "house_homeland_title_vi": "CBO, House Homeland Security title"}.get(key, key)


def eras_of(res: Result, other: Result) -> EraComparison:
    """The two eras of a report: the other scenario's result first (the earlier era)."""
    first, second = (other, res) if other.fiscal_years[0] <= res.fiscal_years[0] else (res, other)
    return compare_eras({_era_name(first): first, _era_name(second): second})


def _era_name(r: Result) -> str:
    return f"FY{int(r.fiscal_years[0])}\u2013FY{int(r.fiscal_years[-1])}"


def era_section(res: Result, other: Result) -> Section:
    """Two eras side by side: perspectives, provisions and the enforcement system."""
    eras = eras_of(res, other)
    names = list(eras.results)
    persp = eras.perspectives()
    outlays = eras.outlays("federal")
    pipe = eras.pipeline()
    header = ("", *names)
    rows: list[tuple[str, ...]] = [("Impact by perspective ($ millions, window total)",
                                    *("" for _ in names))]
    labels: Mapping[str, str] = {"federal": "Federal", "state_local": "State and local",
                                 "government": "All governments", "economy": "Economy"}
    rows += [(labels.get(str(p), str(p)), *(_m(float(persp.loc[p, n])) for n in names))
             for p in persp.index]
    levers = eras.levers()
    rows.append(("Levers (policy side; window averages)", *("" for _ in names)))
    rows += [(str(q).replace(" ($)", " ($ millions)"),
              *(_m(float(levers.loc[q, n])) if q.endswith("($)")
                else f"{float(levers.loc[q, n]):,.0f}" for n in names))
             for q in levers.index]
    rows.append(("Federal impact by provision ($ millions)", *("" for _ in names)))
    rows += [(str(p), *(_m(float(outlays.loc[p, n])) for n in names)) for p in outlays.index]
    rows.append(("Enforcement system (policy side; impact in brackets)", *("" for _ in names)))
    for q in pipe.index:
        cells = []
        for n in names:
            v, d = float(pipe.loc[q, (n, "policy")]), float(pipe.loc[q, (n, "impact")])
            cells.append(f"{v:,.0f} ({d:+,.0f})".replace("-", "\u2212"))
        rows.append((str(q), *cells))
    scen = "; ".join(f"{n}: {r.scenario.name}" for n, r in eras.results.items())
    intro = (
        "The order of 2017 and its 2025 revival side by side, each against its own "
        "baseline (" + scen + "). The levers: the budget authority appropriated and the "
        "central inputs each era sets, averaged over its window. Money in nominal dollars, "
        "the window total of each era's mean over draws (dollar years differ, so nominal "
        "is the common unit). The "
        "enforcement system: yearly averages over each window (officers and beds at their "
        "peak, the court backlog at the window's end), the policy side with its impact "
        "against the baseline in brackets.")
    frame = pd.concat({"lever": levers, "perspective": persp, "provision": outlays},
                      names=["table", "row"])
    flat = pipe.copy()
    flat.columns = pd.Index([" ".join(map(str, c)) for c in list(flat.columns)])
    frame = pd.concat([frame, pd.concat({"system": flat}, names=["table", "row"])])
    return Section(id="eras", title="Two eras: the 2017 order and its 2025 revival",
                   intro=intro, header=header, rows=tuple(rows), frame=frame,
                   unit="nominal dollars (money); people, cases, officers (system)",
                   chart="eras")


def section_data(s: Section) -> dict[str, Any]:
    """A section as the brief's templates read it."""
    return {"id": s.id, "title": s.title, "intro": s.intro, "header": list(s.header),
            "rows": [list(r) for r in s.rows], "chart": s.chart}
