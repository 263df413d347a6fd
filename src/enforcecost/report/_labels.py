"""The words around the numbers: a result's title, how it was drawn, its units, its perspectives."""

from __future__ import annotations

import numpy as np

from ..provisions import LABELS
from ..results import PERSPECTIVES, Perspective, Result
from ..scenario import Scenario, modified_words
from ..vocab import BASES, PAYERS_OF, Basis

__all__ = [
    "active_provisions",
    "basis_words",
    "perspectives_with_lines",
    "provision_label",
    "run_description",
    "scenario_files",
    "scenario_title",
    "units_line",
]


def provision_label(name: str) -> str:
    """A reader's name for a provision (its ``LABEL``); other names (``Total``,
    ``general``) with spaces for underscores.

    Examples
    --------
    >>> provision_label("partnerships_287g"), provision_label("Total")
    ('287(g) agreements', 'Total')
    """
    return LABELS.get(name, name.replace("_", " "))


def scenario_title(res: Result) -> str:
    """The title line: the scenario's name and what it is measured against.

    Examples
    --------
    >>> import enforcecost as ec
    >>> scenario_title(ec.evaluate(ec.load_scenario("eo13768")))[:50]
    'EO 13768, full implementation: impact relative to '
    """
    sc = res.scenario
    if res.has_baseline and sc.baseline is not None:
        return f"{sc.name}: impact relative to {sc.baseline.name}"
    return f"{sc.name} (no baseline: the scenario's own costs)"


def scenario_files(res: Result, *, full_path: bool = False) -> str:
    """Where the numbers of a result come from: its scenario's and its baseline's
    :attr:`~enforcecost.Scenario.provenance` (with ``full_path``, each file's path
    rather than its name).

    Examples
    --------
    >>> import enforcecost as ec
    >>> sc = ec.load_scenario("eo13768")
    >>> scenario_files(ec.evaluate(sc))
    'Scenario file: eo13768.toml; baseline: pre_eo_2016.toml'
    >>> scenario_files(ec.evaluate(sc.replace(parameters={"ero_officers_added": 5000})))
    'Scenario file: eo13768.toml, modified in code: ero_officers_added; baseline: pre_eo_2016.toml'
    """
    def words(sc: Scenario) -> str:
        if full_path and sc.path is not None:
            return f"{sc.path}{modified_words(sc.modified)}"
        return sc.provenance

    sc = res.scenario
    text = f"Scenario file: {words(sc)}"
    if res.has_baseline and sc.baseline is not None:
        text += f"; baseline: {words(sc.baseline)}"
    return text


def run_description(
    res: Result, *, sampler: str | None = None, seed: int | None = None
) -> str:
    """How a result's numbers were drawn, e.g. ``means of 4,096 draws (sobol sampler, seed 1)``.

    ``central values`` for a deterministic result. ``sampler`` and ``seed``
    (which a :class:`~enforcecost.Result` does not record) are added when given.

    Examples
    --------
    >>> import enforcecost as ec
    >>> sc = ec.load_scenario("eo13768")
    >>> run_description(ec.simulate(sc, draws=64, seed=1), sampler="sobol", seed=1)
    'means of 64 draws (sobol sampler, seed 1)'
    >>> run_description(ec.evaluate(sc))
    'central values'
    """
    if res.deterministic:
        return "central values"
    text = f"means of {res.draws:,} draw{'s' if res.draws != 1 else ''}"
    how = [f"{sampler} sampler"] if sampler is not None else []
    if seed is not None:
        how.append(f"seed {seed}")
    return f"{text} ({', '.join(how)})" if how else text


def basis_words(res: Result, basis: Basis) -> str:
    """The dollars of ``basis`` in words, e.g. ``'nominal (then-year) dollars'``.

    Raises
    ------
    ValueError
        If ``basis`` is not one of :data:`~enforcecost.BASES`.
    """
    if basis == "nominal":
        return "nominal (then-year) dollars"
    if basis == "real":
        return f"constant {res.dollar_year} dollars"
    if basis == "pv":
        return f"present value in {res.dollar_year} dollars at {res.discount_rate:.1%} real"
    raise ValueError(f"'basis' must be one of {', '.join(BASES)}: {basis!r}")


def units_line(
    res: Result, basis: Basis, *, sampler: str | None = None, seed: int | None = None
) -> str:
    """The units line of a CBO-style table in ``basis`` dollars.

    For a Monte Carlo result it ends with :func:`run_description` (the cells
    are means over draws).

    Examples
    --------
    >>> import enforcecost as ec
    >>> units_line(ec.evaluate(ec.load_scenario("eo13768")), "pv")
    'Millions of dollars, by fiscal year, present value in 2017 dollars at 2.0% real'
    """
    line = f"Millions of dollars, by fiscal year, {basis_words(res, basis)}"
    if not res.deterministic:
        line += "; " + run_description(res, sampler=sampler, seed=seed)
    return line


def active_provisions(res: Result) -> tuple[str, ...]:
    """The scenario's provisions that book something: a line not zero in some year of
    the impact or of either side (those that book nothing, such as the 2025 fees in a
    2017 scenario, have no basis of estimate or effects to report)."""
    sides = [res, res.policy, *([res.baseline] if res.baseline is not None else [])]
    booked: set[str] = set()
    for r in sides:
        means = np.abs(r.mean_cube("nominal")).sum(axis=0)  # (lines,)
        booked |= set(r.lines["provision"][means > 0])
    return tuple(p for p in res.scenario.provisions if p in booked)


def perspectives_with_lines(res: Result, provision: str | None = None) -> list[Perspective]:
    """The perspectives that have at least one ledger line in ``res`` (of ``provision``,
    when given), in standard order."""
    lines = res.lines
    if provision is not None:
        lines = lines[lines["provision"] == provision]
    payers = set(lines["payer"])
    return [p for p in PERSPECTIVES if payers & set(PAYERS_OF[p])]
