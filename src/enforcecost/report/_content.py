"""What a report says, computed once from a result; the writers only lay it out.

:func:`report_content` runs the tornado study (once), builds the tables per
perspective and basis, the headline, the drivers, the parameters used, the
non-monetized register and the manifest, and for a scenario marked
``hindcast = true`` runs the hindcast (once) and words it; :mod:`._markdown`,
:mod:`._pdf`, :mod:`._workbook` and :mod:`._figures` write them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from ..hindcasting import Hindcast, hindcast
from ..model import evaluate, simulate
from ..results import PrecisionWarning, Result
from ..results._eras import EraComparison
from ..results._headline import HEADLINE, HEADLINE_BASIS, HEADLINE_COLUMNS, HEADLINE_WORDS
from ..scenario import Sampler, Scenario, load_scenario, shipped_scenarios
from ..sensitivity import research_agenda, tornado
from ..vocab import BASES, PERSPECTIVE_LABELS, PERSPECTIVES, Perspective
from ._cells import money_words
from ._frames import parameters_used
from ._hindcast_view import hindcast_findings, hindcast_rows
from ._labels import active_provisions, perspectives_with_lines
from ._manifest import RunManifest, run_manifest, scenario_record
from ._sections import Section, budget_section, era_section, eras_of
from ._sensitivity_view import agenda_shares

if TYPE_CHECKING:
    from ..sensitivity import ResearchAgenda, TornadoResult

__all__ = ["Driver", "ReportContent", "chart_names", "report_content", "run_hindcast"]

#: Drivers listed in the Markdown and PDF reports (the workbook has them all).
TOP_DRIVERS = 12
#: Base points of the report's Sobol' design (the share of the variance resting on
#: assumptions): 16 replicates of 64 points, about 1,024 (d + 6) model runs, two or
#: three seconds for eo13768; its intervals are about +-5 percentage points. The
#: headline states it; ``enforcecost params --rank`` with the same seed (default: the
#: scenario's [run] seed) prints the same numbers.
AGENDA_N = 1024


@dataclass(frozen=True)
class Driver:
    """One input of the tornado study, as the reports list it."""

    name: str
    swing: float
    source_kind: str
    provision: str
    citation: str

    @property
    def assumption(self) -> bool:
        """Whether the input rests on an assumption rather than a source."""
        return self.source_kind == "assumption"


@dataclass(frozen=True)
class ReportContent:
    """Everything one scenario's report shows, computed once.

    Attributes
    ----------
    result : Result
    headline : tuple of str
        A heading line ending ``:``, then one indented line per perspective.
    assumption_lines : tuple of str
        The headline's second part: a heading line ending ``:`` on the share of
        each perspective's variance resting on assumptions (Sobol', grouped),
        one indented line per perspective, and one naming the assumption to
        source first (empty without uncertain inputs or without ``drivers``).
    agenda : ResearchAgenda or None
        The Sobol' study behind them (:func:`~enforcecost.research_agenda` with
        :data:`AGENDA_N` base points), or None.
    perspectives : tuple of str
        Perspectives with ledger lines, in standard order.
    tables : mapping of str to DataFrame
        ``'<perspective>_<basis>'``: :meth:`Result.table`, $ millions.
    percentiles : DataFrame
        :meth:`Result.summary` in nominal dollars.
    tornado : TornadoResult or None
        The one-at-a-time study of the federal window total (None when not run).
    drivers_table : DataFrame or None
        Its frame with each input's citation.
    charts : tuple of str
        The charts to draw, by file stem (:func:`chart_names`).
    parameters : DataFrame
        :func:`~enforcecost.report.parameters_used`.
    nonmonetized, pipeline : DataFrame
    manifest : RunManifest
    hindcast : Hindcast or None
        For a scenario marked ``hindcast = true``: its pipeline beside the
        published outcomes, on the result's draws, seed and sampler (None
        otherwise).
    hindcast_rows : DataFrame or None
        Its table as the reports show it (:func:`._hindcast_view.hindcast_rows`).
    hindcast_findings : str
        What it shows, in one paragraph ('' without a hindcast).
    sections : tuple of Section
        The sections the scenario asks for (:mod:`._sections`): budget authority and
        outlays (with ``[appropriations]``), two eras (with ``compare_with``).
    eras : EraComparison or None
        The two eras compared (with ``compare_with``), for the chart.
    booked : tuple of str
        The provisions that book something (:func:`._labels.active_provisions`): the
        basis of estimate and the non-monetized effects are theirs.
    """

    result: Result
    headline: tuple[str, ...]
    perspectives: tuple[Perspective, ...]
    tables: Mapping[str, pd.DataFrame]
    percentiles: pd.DataFrame
    tornado: TornadoResult | None
    drivers_table: pd.DataFrame | None
    charts: tuple[str, ...]
    parameters: pd.DataFrame
    nonmonetized: pd.DataFrame
    pipeline: pd.DataFrame
    manifest: RunManifest
    hindcast: Hindcast | None = None
    hindcast_rows: pd.DataFrame | None = None
    hindcast_findings: str = ""
    assumption_lines: tuple[str, ...] = ()
    agenda: ResearchAgenda | None = None
    sections: tuple[Section, ...] = ()
    eras: EraComparison | None = None
    booked: tuple[str, ...] = ()

    @property
    def policy_parameters(self) -> pd.DataFrame:
        """The rows of :attr:`parameters` of the policy scenario."""
        return self.parameters[self.parameters["side"] == "policy"]

    @property
    def drivers(self) -> tuple[Driver, ...]:
        """The largest :data:`TOP_DRIVERS` swings of the tornado study (empty without one)."""
        if self.drivers_table is None:
            return ()
        return tuple(
            Driver(str(name), float(r["swing"]), str(r["source_kind"]), str(r["provision"]),
                   str(r["citation"]))
            for name, r in self.drivers_table.head(TOP_DRIVERS).iterrows()
        )


def chart_names(res: Result, tornado: bool, hindcast: bool = False,
                eras: bool = False) -> tuple[str, ...]:
    """The charts of a report, by file stem, in the order they are shown (the
    ``hindcast`` and ``eras`` charts are shown in their own sections)."""
    names = ["stacked_federal", "fan_federal"]
    if res.has_baseline:
        names.append("waterfall_federal")
    if not res.deterministic:
        names.append("distribution_federal")
    names.append("pipeline")
    if tornado:
        names.append("tornado_federal")
    if hindcast:
        names.append("hindcast")
    if eras:
        names.append("eras")
    return tuple(names)


def run_hindcast(res: Result, *, sampler: str | None = None,
                 seed: int | None = None) -> Hindcast | None:
    """The hindcast of a scenario marked ``hindcast = true`` (None for any other).

    On the draws, seed and sampler of the result being reported, so the report's
    hindcast is the run's: a Monte Carlo result's draws (the scenario's ``[run]``
    draws for central values, since a band needs draws), and ``seed`` and
    ``sampler`` as given to the report, else the scenario's ``[run]``.
    """
    sc = res.scenario
    if not sc.hindcast:
        return None
    draws = sc.run.draws if res.deterministic else res.draws
    kind = sc.run.sampler if sampler is None else cast(Sampler, sampler)  # checked there
    return hindcast(sc, draws=max(draws, 2), seed=sc.run.seed if seed is None else seed,
                    sampler=kind)


def _headline(res: Result) -> tuple[str, ...]:
    """The headline lines: each perspective leads with :data:`~enforcecost.results.HEADLINE`
    (the mean; see :mod:`enforcecost.results._headline` for the rule and why), with
    the central-values estimate, the median and the 90% range beside it."""
    fy = res.fiscal_years
    span = f"FY{fy[0]}-FY{fy[-1]}"
    what = "impact" if res.has_baseline else "cost"
    lines = []
    with_lines = perspectives_with_lines(res)
    frame = res.headline(HEADLINE_BASIS)  # also a reduction-only result: exact mean, sketches
    basis = HEADLINE_BASIS
    for perspective in PERSPECTIVES:
        if perspective not in with_lines:
            continue
        label = PERSPECTIVE_LABELS[perspective]
        values = frame.loc[perspective, list(HEADLINE_COLUMNS)].to_numpy(dtype=np.float64)
        row = dict(zip(HEADLINE_COLUMNS, values.tolist(), strict=True))
        if res.deterministic:
            lines.append(f"{label}: {money_words(row[HEADLINE])} "
                         f"({span}, {basis}, central values)")
        else:
            lines.append(
                f"{label}: {HEADLINE_WORDS} {money_words(row[HEADLINE])}, 90% range "
                f"{money_words(row['p5'])} to {money_words(row['p95'])} "
                f"(median {money_words(row['p50'])}; central values "
                f"{money_words(row['central'])}; {span}, {basis})"
            )
    head = f"Net fiscal {what} of {res.scenario.name}"
    if res.has_baseline and res.scenario.baseline is not None:
        head += f", relative to {res.scenario.baseline.name}"
    if not res.deterministic:
        head += f" (headline: the {HEADLINE_WORDS} of {res.draws:,} draws, the expected cost)"
    return (head + ":", *("  " + ln for ln in lines))


def _scenario_argument(sc: Scenario | None) -> str:
    """How to name ``sc`` on the command line: a shipped scenario's name, else its file."""
    if sc is None or sc.path is None:
        return "SCENARIO"
    path = sc.path.resolve()
    for name, shipped in shipped_scenarios().items():
        if shipped.resolve() == path:
            return name
    return str(sc.path)


def _assumption_lines(agenda: ResearchAgenda | None) -> tuple[str, ...]:
    """The headline's lines on the variance resting on assumptions (none without a study)."""
    if agenda is None:
        return ()
    shares = agenda_shares(agenda)
    if not shares:
        return ()
    seed = "" if agenda.seed is None else f", seed {agenda.seed}"
    head = ("Share of the variance resting on assumptions (Sobol' total index of the "
            f"inputs labelled assumption, together; {agenda.n:,} base points{seed}):")
    lines = [head, *("  " + s for s in shares)]
    frame = agenda.frame
    first = frame[frame["rank"] == 1]
    if not first.empty:
        top = first.iloc[0]
        name = _scenario_argument(agenda.scenario)
        lines.append(
            f"  First to source: {top['parameter']} ({PERSPECTIVE_LABELS[top['perspective']]} "
            f"ST {top['ST']:.2f}); `enforcecost params --rank {name}` ranks them all."
        )
    return tuple(lines)


def report_content(
    res: Result,
    *,
    sampler: str | None = None,
    seed: int | None = None,
    command: str = "",
    drivers: bool = True,
) -> ReportContent:
    """Compute what one scenario's report shows.

    The arguments are those of :func:`~enforcecost.report.write_report`; the
    tornado study and the Sobol' study of the share of the variance resting on
    assumptions (:data:`AGENDA_N` base points, ``seed`` or the scenario's
    ``[run]`` seed) run here, once, when ``drivers`` and the scenario has
    uncertain inputs, and so does the hindcast of a scenario marked
    ``hindcast = true`` (:func:`run_hindcast`).

    Returns
    -------
    ReportContent
    """
    sc = res.scenario
    tor = tornado(sc, "federal") if drivers and sc.uncertain() else None
    agenda = (
        research_agenda(sc, perspectives_with_lines(res), n=AGENDA_N,
                        seed=sc.run.seed if seed is None else seed)
        if tor is not None else None
    )
    perspectives = tuple(perspectives_with_lines(res))
    tables = {
        f"{perspective}_{basis}": res.table(perspective, basis)
        for perspective in perspectives
        for basis in BASES
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        percentiles = res.summary("nominal")
    params = parameters_used(sc)
    policy = params[params["side"] == "policy"]
    drivers_table = (
        None if tor is None else tor.to_frame().join(policy.set_index("name")[["citation"]])
    )
    record = scenario_record(res, sampler=sampler, seed=seed)
    past = run_hindcast(res, sampler=sampler, seed=seed)
    booked = active_provisions(res)
    sections = [b for b in (budget_section(res),) if b is not None]
    eras = None
    if sc.compare_with:
        other = _other_era(res, sc.compare_with, sampler=sampler, seed=seed)
        eras = eras_of(res, other)
        sections.append(era_section(res, other))
    return ReportContent(
        result=res,
        headline=_headline(res),
        perspectives=perspectives,
        tables=tables,
        percentiles=percentiles,
        tornado=tor,
        drivers_table=drivers_table,
        charts=chart_names(res, tor is not None, past is not None, eras is not None),
        parameters=params,
        nonmonetized=_booked_effects(res, booked),
        pipeline=res.pipeline(),
        manifest=run_manifest([record], command=command),
        hindcast=past,
        hindcast_rows=None if past is None else hindcast_rows(past),
        hindcast_findings="" if past is None else hindcast_findings(past),
        assumption_lines=_assumption_lines(agenda),
        agenda=agenda,
        sections=tuple(sections),
        eras=eras,
        booked=booked,
    )


def _booked_effects(res: Result, booked: tuple[str, ...]) -> pd.DataFrame:
    """The non-monetized effects of the provisions that book something (and general ones)."""
    reg = res.nonmonetized()
    return reg[reg["provision"].isin([*booked, "general"])]


def _other_era(res: Result, path: str, *, sampler: str | None,
               seed: int | None) -> Result:
    """The scenario ``compare_with`` names, run as the reported result was run.

    Central values for a central-values result; otherwise the same number of draws,
    ``seed`` and ``sampler`` as given to the report, else the other scenario's own.
    """
    other = load_scenario(path)
    if res.deterministic:
        return evaluate(other)
    kind = other.run.sampler if sampler is None else cast(Sampler, sampler)
    return simulate(other, draws=res.draws, seed=other.run.seed if seed is None else seed,
                    sampler=kind)
