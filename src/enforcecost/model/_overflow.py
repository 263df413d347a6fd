"""Magnitude checks: every ledger amount finite and within the exact-sum range.

Up front, :func:`magnitude_problems` probes each side at central values and at
the ends of what a design can draw; during a run, :func:`_scan` checks every
chunk of draws (:func:`_block_problem`, and for reduction-only runs
:func:`_totals_problem` on the distances of the totals), naming the file, key,
line, year and value. Both exist so that sums over draws stay exact (see
:mod:`enforcecost.reduce`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..errors import Problem, ScenarioError
from ..provisions import BOOKS, CAPACITIES, Flows, Line, run_pipeline
from ..reduce import EXACT_LIMIT, VALUE_LIMIT
from ..registry import Window
from ..scenario import Scenario, Setting
from ._ledger import _book
from ._plan import Plan
from ._prices import FloatArray
from ._values import _parameter_arrays, _sides

#: Largest distance (dollars) of a draw's net total from its central value in
#: a reduction-only run (``detail='summary'``), whose squares are summed over
#: draws: ``sqrt(VALUE_LIMIT) = 2**42`` (about 4.4e12), so that every square
#: stays below :data:`~enforcecost.reduce.VALUE_LIMIT` and its group sums exact.
TOTAL_LIMIT = float(np.sqrt(VALUE_LIMIT))
#: The probability at which the extent of an unbounded distribution (lognormal,
#: normal not truncated on both sides) is probed: designs draw quantiles that
#: are multiples of at least ``2**-53`` (numpy's uniform doubles), so their
#: draws lie between the quantiles ``2**-53`` and ``1 - 2**-53``.
_TAIL = 2.0**-53
_BOUNDED = ("uniform", "triangular", "pert", "discrete")
_RULE = (
    f"every ledger amount (and pipeline flow) of every draw and year, real and nominal, "
    f"must be finite and below 2**84 = {VALUE_LIMIT:.3g} dollars (VALUE_LIMIT: sums over "
    f"draws are exact, whatever the block size, only for sums of 256 draws below "
    f"2**93 = {EXACT_LIMIT:.3g}; 2**93 / 256 / 2, halved for rounding)"
)


class _Reads(dict[str, Any]):
    """Parameter arrays that record which names are read (for messages)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self.read: list[str] = []

    def __getitem__(self, key: str) -> Any:
        if key not in self.read:
            self.read.append(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return default


def _reads(side: Scenario, dollar_year: int) -> dict[str, list[str]]:
    """The parameters each provision (and ``'pipeline'``) reads, at central values."""
    settings = side.settings()
    window = Window(side.start_year, side.years)
    values = {n: np.full(1, s.value) for n, s in settings.items()}
    out: dict[str, list[str]] = {}
    with np.errstate(all="ignore"):
        p = _Reads(_parameter_arrays(side, values, window, dollar_year, {}, settings))
        flows = run_pipeline(p, window.years)
        out["pipeline"] = list(p.read)
        for provision in side.provisions:
            p.read = []
            BOOKS[provision](p, flows)
            out[provision] = list(p.read)
    return out


def _where(side: Scenario) -> str:
    return str(side.path) if side.path is not None else "<code>"


@dataclass(frozen=True)
class _Overflow:
    """A value out of range: ``what`` (a line or flow) in draw ``row`` (of the
    values scanned) and fiscal year ``year``."""

    what: str
    provision: str  # the provision booking the line, or 'pipeline'
    row: int
    year: int
    basis: str
    value: float

    def text(self) -> str:
        unit = "people" if self.provision == "pipeline" else f"{self.basis} dollars"
        return f"{self.what} reaches {self.value:.3g} {unit} in FY{self.year}"


@dataclass(frozen=True)
class _Bad:
    """A line (or flow) with values out of range: its values, shape ``(rows, years)``."""

    what: str
    provision: str
    real: np.ndarray
    nominal: np.ndarray | None

    def mask(self) -> np.ndarray:
        bad = ~(np.abs(self.real) < VALUE_LIMIT)  # NaN fails every comparison
        if self.nominal is not None:
            bad |= ~(np.abs(self.nominal) < VALUE_LIMIT)
        return np.asarray(bad)

    def first(self, rows: Sequence[int], years: np.ndarray) -> _Overflow:
        """The first value out of range in ``rows`` (in order; real before nominal)."""
        for r in rows:
            for basis, v in (("real", self.real), ("nominal", self.nominal)):
                if v is None:
                    continue
                bad = ~(np.abs(v[r]) < VALUE_LIMIT)
                if bad.any():
                    t = int(np.argmax(bad))
                    return _Overflow(self.what, self.provision, int(r), int(years[t]), basis,
                                     float(v[r, t]))
        raise ValueError("no value out of range in these rows")  # pragma: no cover


def _fine(a: np.ndarray) -> bool:
    """Every value of ``a`` finite and below :data:`VALUE_LIMIT` in magnitude (NaN is not)."""
    return a.size == 0 or bool(a.max() < VALUE_LIMIT and -a.min() < VALUE_LIMIT)


def _scan(lines: Sequence[Line], price: FloatArray, flows: Flows) -> list[_Bad]:
    """The lines (booking order) and pipeline flows with a value out of range.

    Reads each line's values twice (a max and a min); its nominal amounts are
    formed only when the real extreme times the largest price level could
    reach the limit. Call under ``np.errstate(all="ignore")``.
    """
    out: list[_Bad] = []
    top = float(np.max(price)) if price.size else 1.0
    for line in lines:
        a = np.asarray(line.amount)
        real_ok = _fine(a)
        if real_ok and a.size and max(float(a.max()), -float(a.min())) * top < VALUE_LIMIT:
            continue
        real = np.broadcast_to(a, price.shape)
        nominal = real * price
        if real_ok and _fine(nominal):
            continue
        out.append(_Bad(f"ledger line {line.provision} / {line.item} ({line.payer})",
                        line.provision, real, nominal))
    for f in fields(Flows):
        a = np.asarray(getattr(flows, f.name))
        if f.name in CAPACITIES:  # a capacity may be unlimited: inf is a value, not an overflow
            a = np.where(np.isinf(a) & (a > 0), 0.0, a)
        if not _fine(a):
            out.append(_Bad(f"pipeline flow {f.name}", "pipeline",
                            np.broadcast_to(a, price.shape), None))
    return out


def _extent(dist: Any) -> tuple[float, float, str]:
    """The lowest and highest values a design can draw from ``dist``, and what they are."""
    a = dist.args
    if dist.kind in _BOUNDED or (dist.kind == "normal" and "low" in a and "high" in a):
        lo, hi = dist.range
        return lo, hi, "end of its distribution"
    with np.errstate(all="ignore"):
        lo, hi = dist.frozen().ppf([_TAIL, 1.0 - _TAIL])
    return float(lo), float(hi), "end of what a design draws from it (quantile 2**-53)"


def _named(
    side: Scenario, settings: Mapping[str, Setting], reads: Sequence[str],
    among: Sequence[str] | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """File, key and values of the parameters read that the scenario sets (else all read)."""
    pool = [n for n in reads if among is None or n in among]
    chosen = [n for n in pool if settings[n].source != "registry"] or pool
    file = next((settings[n].source for n in chosen if settings[n].source != "registry"),
                _where(side))
    key = "[parameters] " + ", ".join(chosen) if chosen else "[parameters]"
    shown = {n: _spec(settings[n]) for n in chosen}
    return file, key, shown


def _spec(setting: Setting) -> Any:
    """A setting as a scenario file writes it: its distribution, else its value (a
    schedule: its years, and its multiplier's distribution)."""
    if setting.schedule is not None:
        spec: dict[str, Any] = {"by_year": {str(y): v for y, v in setting.schedule}}
        if setting.dist is not None:
            spec["multiplier"] = setting.dist.to_spec()
        return spec
    return setting.value if setting.dist is None else setting.dist.to_spec()


def _reads_of(reads: Mapping[str, list[str]], o: _Overflow) -> list[str]:
    names = list(reads.get(o.provision, []))
    if o.basis == "nominal" and "inflation_projection" not in names:
        names.append("inflation_projection")  # nominal dollars: the price level's input
    return names


def _more(n: int) -> str:
    if not n:
        return ""
    return f" (and {n} more line{'s' if n != 1 else ''} or flow{'s' if n != 1 else ''})"


def _side_problems(side: Scenario, dollar_year: int) -> list[Problem]:
    """Probe one side at its central values, each uncertain input at each end of its
    extent (the others central), and every uncertain input at its low and high end."""
    window = Window(side.start_year, side.years)
    settings = side.settings()
    names = [n for n, s in settings.items() if s.dist is not None]
    rows = 3 + 2 * len(names)
    values = {n: np.full(rows, s.value, dtype=np.float64) for n, s in settings.items()}
    ends: dict[str, str] = {}
    for k, n in enumerate(names):
        lo, hi, ends[n] = _extent(settings[n].dist)
        values[n][[1 + 2 * k, rows - 2]] = lo
        values[n][[2 + 2 * k, rows - 1]] = hi
    with np.errstate(all="ignore"):
        lines, price, flows = _book(side, values, window, dollar_year, settings)
        bad = _scan(lines, np.broadcast_to(price, (rows, window.years)), flows)
    if not bad:
        return []
    years = window.fiscal_years
    found: dict[tuple[str, str], list[_Overflow]] = {}
    for b in bad:
        hit = np.asarray(b.mask().any(axis=1))
        if hit[0]:
            found.setdefault(("central", b.provision), []).append(b.first([0], years))
        elif hit[1 : rows - 2].any():
            for k, n in enumerate(names):
                if hit[1 + 2 * k] or hit[2 + 2 * k]:
                    o = b.first([1 + 2 * k, 2 + 2 * k], years)
                    found.setdefault(("input", n), []).append(o)
        else:
            found.setdefault(("joint", b.provision), []).append(b.first([rows - 2, rows - 1],
                                                                        years))
    reads = _reads(side, dollar_year)
    out = []
    for (cause, subject), hits in found.items():
        o, more = hits[0], _more(len(hits) - 1)
        if cause == "input":
            setting = settings[subject]
            assert setting.dist is not None
            end = "low" if o.row % 2 else "high"
            file, given = setting.source, ""
            if file == "registry":  # the registry's distribution, with this scenario's values
                file = _where(side)
                _, key, _ = _named(side, settings, _reads_of(reads, o))
                given = f" (the registry's distribution; with {key.removeprefix('[parameters] ')})"
            out.append(Problem(
                file, f"[parameters] {subject}",
                f"at {values[subject][o.row]:.6g}, the {end} {ends[subject]}{given}, "
                f"{o.text()}{more}; {_RULE}", setting.dist.to_spec()))
        elif cause == "central":
            file, key, shown = _named(side, settings, _reads_of(reads, o))
            out.append(Problem(
                file, key, f"at the central values, {o.text()}{more}; "
                f"{subject} reads {', '.join(_reads_of(reads, o))}; {_RULE}", shown))
        else:
            end = "low" if o.row == rows - 2 else "high"
            file, key, shown = _named(side, settings, _reads_of(reads, o), names)
            out.append(Problem(
                file, key, f"with every uncertain input at the {end} end of its "
                f"distribution, {o.text()}{more}; {subject} reads "
                f"{', '.join(_reads_of(reads, o))}; {_RULE}", shown))
    return out


def magnitude_problems(scenario: Scenario) -> list[Problem]:
    """Check that a scenario's ledger stays finite and within the exact-sum range.

    Evaluates each side (policy, baseline) on a small probe: central values;
    each uncertain input at the low and at the high end of what a design can
    draw from it (its support, or its quantiles ``2**-53`` and ``1 - 2**-53``
    for unbounded kinds), the others central; and every uncertain input at its
    low, then high end at once. Every ledger amount (real and nominal) and
    pipeline flow must be finite and below :data:`~enforcecost.reduce.VALUE_LIMIT`
    (``2**84`` dollars) in magnitude: sums over draws are then exact whatever
    the block size. The probe cannot see every combination of inputs, so a
    Monte Carlo run checks every block as well (:func:`run_block`).

    Parameters
    ----------
    scenario : Scenario
        With its baseline, if any.

    Returns
    -------
    list of Problem
        One per input (or set of fixed values) that takes a line out of range,
        naming the file and key that set it, the line, the year and the value.
    """
    return [p for side in _sides(scenario) for p in _side_problems(side, scenario.dollar_year)]


def _block_problem(
    plan: Plan, side: int, bad: Sequence[_Bad], first_draw: int, years: np.ndarray,
) -> ScenarioError:
    """The error for out-of-range values found while running draws from ``first_draw`` on."""
    row = min(int(np.argmax(b.mask().any(axis=1))) for b in bad)
    o = next(b.first([row], years) for b in bad if b.mask()[row].any())
    sc = plan.sides[side]
    reads = _reads_of(_reads(sc, plan.scenario.dollar_year), o)
    file, key, _ = _named(sc, sc.settings(), reads)
    return ScenarioError([Problem(
        file, key, f"in draw {first_draw + row} of {plan.draws:,} (seed {plan.seed}, "
        f"{plan.sampler}), {o.text()}; {o.provision} reads {', '.join(reads)}; {_RULE}",
        o.value)])


def _totals_problem(plan: Plan, dist: np.ndarray, first_draw: int) -> ScenarioError | None:
    """The error if a draw's total is too far from the central total (``summary`` only)."""
    if _fine_total(dist):
        return None
    bad = ~(np.abs(dist) < TOTAL_LIMIT)
    draw = int(np.argmax(bad.any(axis=0)))
    channel = int(np.argmax(bad[:, draw]))
    spans = len(plan.spans)
    perspective = plan.perspectives[channel // (3 * spans)]
    basis = ("nominal", "real", "pv")[channel // spans % 3]
    span = plan.spans[channel % spans]
    return ScenarioError([Problem(
        _where(plan.scenario), "[run] draws",
        f"in draw {first_draw + draw} of {plan.draws:,} (seed {plan.seed}, {plan.sampler}), "
        f"the {perspective} {basis} total over {span} years is {dist[channel, draw]:.3g} "
        f"dollars from its central value; "
        f"a reduction-only run (detail='summary', chosen for large runs) sums the squares of "
        f"these distances exactly only below 2**42 = {TOTAL_LIMIT:.3g} dollars "
        f"(sqrt of VALUE_LIMIT); keep per-draw detail (detail='payers', fewer draws)",
        plan.draws)])


def _fine_total(dist: np.ndarray) -> bool:
    return dist.size == 0 or bool(dist.max() < TOTAL_LIMIT and -dist.min() < TOTAL_LIMIT)
