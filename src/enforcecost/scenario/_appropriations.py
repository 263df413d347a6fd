"""Appropriations: budget authority by account, spent out into outlays by a stated rule.

A scenario's ``[appropriations.<name>]`` tables give money appropriated above the
funded level its levers stand for (P.L. 119-21 and P.L. 119-98 in the 2025
revival). Budget authority (BA) is what a law makes available; the model's costs
are outlays. Each table is turned into outlays by fiscal year with a **spend-out
rule**, and the outlays of each account become the scenario's setting of one
registry input, read by the pipeline and the provisions:

=====================  ======================================  ===========================
account                registry input                          what the outlays do
=====================  ======================================  ===========================
``detention``          ``appropriation_outlays_detention``     buy bed-years (pipeline)
``personnel``          ``appropriation_outlays_personnel``     buy officer-years (pipeline)
``courts``             ``appropriation_outlays_courts``        buy judge-years (pipeline)
``removal_operations`` ``appropriation_outlays_operations``    booked as appropriated
``state_local``        ``appropriation_outlays_state_local``   a transfer to States
=====================  ======================================  ===========================

A table either names an enacted appropriation of ``data/appropriations_2025.toml``
(``enacted = "pl119_21_sec90003_detention"``: its budget authority, availability,
law and source), or states its own ``budget_authority`` and ``source`` (a
hypothetical: a renewal, a variant). ``share`` takes part of it (a lump sum
split between accounts, with the basis stated in ``note``).

**Spend-out rules** (``spend_out``):

* a profile of the data file (``[spend_out.<name>]``): the share of the budget
  authority outlaid in the year it is appropriated, the next year, and so on,
  derived from CBO's cost estimates;
* ``"even"``: outlaid in equal parts over the fiscal years from the year it is
  appropriated through its last year of availability (as fast as the law lets
  it be obligated, at an even pace);
* ``"annual"``: outlaid in the year it is appropriated (one-year money).

Budget authority of year ``s`` outlays ``BA_s × share × f_k`` in year ``s + k``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import pandas as pd

from ..errors import Problem, as_float, is_number, suggest
from ._rules import YEAR_MAX, Key, Table, is_int

__all__ = [
    "ACCOUNTS",
    "ANNUAL",
    "EVEN",
    "Appropriation",
    "appropriations_data",
    "budget_authority",
    "budget_table",
    "outlay_settings",
    "parse_appropriations",
]

#: Account -> the registry input its outlays set.
ACCOUNTS: Mapping[str, str] = MappingProxyType({
    "detention": "appropriation_outlays_detention",
    "personnel": "appropriation_outlays_personnel",
    "courts": "appropriation_outlays_courts",
    "removal_operations": "appropriation_outlays_operations",
    "state_local": "appropriation_outlays_state_local",
})
#: The spend-out rule that spreads budget authority evenly over its availability.
EVEN = "even"
#: The spend-out rule of one-year money: all outlaid in the year it is appropriated.
ANNUAL = "annual"


@cache
def appropriations_data() -> Mapping[str, Any]:
    """The shipped appropriations data file (``data/appropriations_2025.toml``), parsed."""
    path = resources.files("enforcecost").joinpath("data/appropriations_2025.toml")
    with path.open("rb") as fh:
        return MappingProxyType(tomllib.load(fh))


def _profiles() -> Mapping[str, Any]:
    return dict(appropriations_data().get("spend_out", {}))


def _enacted() -> Mapping[str, Any]:
    return dict(appropriations_data().get("appropriation", {}))


@dataclass(frozen=True)
class Appropriation:
    """One appropriation of a scenario, resolved.

    Attributes
    ----------
    name : str
        The table's name in the scenario file.
    account : str
        One of :data:`ACCOUNTS`.
    budget_authority : tuple of (int, float)
        Budget authority by fiscal year, nominal dollars (``share`` applied).
    available_through : int or None
        Last fiscal year the money may be obligated.
    spend_out : str
        The spend-out rule: a profile name, :data:`EVEN` or :data:`ANNUAL`.
    fractions : tuple of float
        Share of a year's budget authority outlaid in that year, the next, ...
    law : str
        The law and section, or "" for a hypothetical.
    source : str
        Where the amount comes from.
    share : float
        The part of the enacted appropriation taken (1 for all of it).
    note : str
        The basis of the share or of a hypothetical amount.
    """

    name: str
    account: str
    budget_authority: tuple[tuple[int, float], ...]
    available_through: int | None
    spend_out: str
    fractions: tuple[float, ...]
    law: str = ""
    source: str = ""
    share: float = 1.0
    note: str = ""

    def outlays(self) -> dict[int, float]:
        """Outlays by fiscal year, nominal dollars."""
        out: dict[int, float] = {}
        for year, amount in self.budget_authority:
            for k, f in enumerate(self._fractions(year)):
                out[year + k] = out.get(year + k, 0.0) + amount * f
        return out

    def _fractions(self, year: int) -> tuple[float, ...]:
        """The spend-out shares of budget authority appropriated in ``year``."""
        if self.spend_out == EVEN and self.available_through is not None:
            n = self.available_through - year + 1
            return tuple([1.0 / n] * n)
        return self.fractions


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _checks(v: Any, ok: bool, rule: str) -> Iterator[tuple[str, Any]]:
    if not ok:
        yield rule, v


def _schedule_ok(v: Any) -> bool:
    return (isinstance(v, Mapping) and bool(v) and all(
        isinstance(k, str) and k.isdigit() and 1900 <= int(k) <= YEAR_MAX
        and is_number(x) and 0 <= as_float(x) < math.inf for k, x in v.items()))


def _spend_out(v: Any) -> Iterator[tuple[str, Any]]:
    rules = (f"'{EVEN}', '{ANNUAL}' or a [spend_out] profile of the data file ("
             + ", ".join(_profiles()) + ")")
    if v is None:  # absent (TOML has no null): no value to show
        yield f"required: {rules}", ...
    elif not (isinstance(v, str) and (v in (EVEN, ANNUAL) or v in _profiles())):
        yield f"must be {rules}", v


#: ``[appropriations.<name>]``: one appropriation of the scenario.
APPROPRIATION = Table({
    "enacted": Key("an enacted appropriation of data/appropriations_2025.toml",
                   lambda v: _checks(v, isinstance(v, str) and v in _enacted(),
                                     "must name an [appropriation] of the data file"
                                     + (suggest(v, _enacted()) if isinstance(v, str) else ""))),
    "account": Key("what the money buys",
                   lambda v: _checks(v, isinstance(v, str) and v in ACCOUNTS,
                                     f"must be one of {', '.join(ACCOUNTS)}")),
    "budget_authority": Key("budget authority by fiscal year, nominal dollars",
                            lambda v: _checks(
                                v, _schedule_ok(v),
                                "must be a table {fiscal year = finite dollars >= 0}")),
    "available_through": Key("last fiscal year the money may be obligated",
                             lambda v: _checks(v, is_int(v) and 1900 <= v <= YEAR_MAX,
                                               "must be a fiscal year")),
    "share": Key("the part of it for this account",
                 lambda v: _checks(v, is_number(v) and 0.0 < as_float(v) <= 1.0,
                                   "must be a number in (0, 1]")),
    "spend_out": Key("the spend-out rule", _spend_out, required=True),
    "source": Key("where a stated amount comes from",
                  lambda v: _checks(v, _is_text(v), "must be a non-blank string")),
    "note": Key("the basis of a share or an amount",
                lambda v: _checks(v, isinstance(v, str), "must be a string")),
}, unknown="unknown key (an appropriation takes enacted or budget_authority and source, "
           "account, share, available_through, spend_out, note)")


def parse_appropriations(
    tables: Mapping[str, Any], where: str,
) -> tuple[tuple[Appropriation, ...], list[Problem]]:
    """Check and resolve a scenario's ``[appropriations]`` tables (``where``: the file)."""
    out: list[Appropriation] = []
    problems: list[Problem] = []
    for name, spec in tables.items():
        key = f"[appropriations.{name}]"
        if not isinstance(spec, Mapping):
            problems.append(Problem(where, key, "must be a table", spec))
            continue
        found = APPROPRIATION.check(spec, where, f"{key} ")
        if not found:
            found = _completeness(spec, where, key)
        if found:
            problems += found
            continue
        out.append(_resolve(name, spec))
    return tuple(out), problems


def _completeness(spec: Mapping[str, Any], where: str, key: str) -> list[Problem]:
    enacted = spec.get("enacted")
    if enacted is None and ("budget_authority" not in spec or "source" not in spec
                            or "account" not in spec):
        return [Problem(where, key, "needs 'enacted', or 'budget_authority', 'account' and "
                        "'source'", dict(spec))]
    if enacted is not None and "budget_authority" in spec:
        return [Problem(where, key, "takes 'enacted' or 'budget_authority', not both",
                        dict(spec))]
    data = _enacted().get(enacted, {}) if enacted else {}
    account = spec.get("account", data.get("account"))
    if account not in ACCOUNTS:
        return [Problem(where, f"{key} account",
                        f"the enacted account {account!r} is not one the model costs; "
                        f"set account to one of {', '.join(ACCOUNTS)}", account)]
    through = spec.get("available_through", data.get("available_through"))
    if spec["spend_out"] == EVEN and through is None:
        return [Problem(where, f"{key} available_through",
                        f"required with spend_out = '{EVEN}'")]
    ba = spec.get("budget_authority", data.get("budget_authority", {}))
    if spec["spend_out"] == EVEN and any(int(y) > through for y in ba):
        return [Problem(where, f"{key} available_through",
                        "is before a year of its budget authority", through)]
    return []


def _resolve(name: str, spec: Mapping[str, Any]) -> Appropriation:
    data = _enacted().get(spec.get("enacted", ""), {})
    share = as_float(spec.get("share", 1.0))
    ba = spec.get("budget_authority", data.get("budget_authority", {}))
    schedule = tuple(sorted((int(y), as_float(v) * share) for y, v in ba.items()))
    through = spec.get("available_through", data.get("available_through"))
    rule = spec["spend_out"]
    if rule == EVEN:  # by the year appropriated: see Appropriation._fractions
        fractions: tuple[float, ...] = ()
    elif rule == ANNUAL:
        fractions = (1.0,)
    else:
        fractions = tuple(float(f) for f in _profiles()[rule]["fractions"])
    return Appropriation(
        name=name,
        account=str(spec.get("account", data.get("account"))),
        budget_authority=schedule,
        available_through=None if through is None else int(through),
        spend_out=rule,
        fractions=fractions,
        law=str(data.get("law", "")),
        source=str(spec.get("source", data.get("source", ""))),
        share=share,
        note=str(spec.get("note", "")),
    )


def outlay_settings(
    apps: tuple[Appropriation, ...], start_year: int, years: int,
) -> dict[str, tuple[tuple[int, float], ...]]:
    """Each account's outlays in each fiscal year of the window, nominal dollars.

    A schedule by fiscal year listing every year of the window (zero where
    nothing is outlaid); outlays outside the window are not costed (they stay
    in :func:`budget_table`).
    """
    by_account: dict[str, dict[int, float]] = {}
    for app in apps:
        acc = by_account.setdefault(ACCOUNTS[app.account], {})
        for year, amount in app.outlays().items():
            acc[year] = acc.get(year, 0.0) + amount
    return {name: tuple((y, amounts.get(y, 0.0)) for y in range(start_year, start_year + years))
            for name, amounts in by_account.items()}


def budget_table(apps: tuple[Appropriation, ...]) -> pd.DataFrame:
    """Budget authority and its outlays by appropriation and fiscal year (nominal dollars).

    Returns
    -------
    pandas.DataFrame
        Columns ``appropriation``, ``account``, ``law``, ``spend_out``,
        ``fiscal_year``, ``budget_authority``, ``outlays``; one row per
        appropriation and fiscal year with either.
    """
    rows = []
    for app in apps:
        ba = dict(app.budget_authority)
        outlays = app.outlays()
        for year in sorted(set(ba) | set(outlays)):
            rows.append({
                "appropriation": app.name, "account": app.account, "law": app.law,
                "spend_out": app.spend_out, "fiscal_year": year,
                "budget_authority": ba.get(year, 0.0), "outlays": outlays.get(year, 0.0),
            })
    columns = ["appropriation", "account", "law", "spend_out", "fiscal_year",
               "budget_authority", "outlays"]
    return pd.DataFrame(rows, columns=columns)


def budget_authority(scenario: Any) -> pd.DataFrame:
    """A scenario's appropriations: budget authority and outlays by fiscal year.

    Parameters
    ----------
    scenario : Scenario
        A scenario with ``[appropriations]`` tables (none: an empty frame).

    Returns
    -------
    pandas.DataFrame
        :func:`budget_table` of ``scenario.appropriations``, nominal dollars:
        one row per appropriation and fiscal year, with ``budget_authority`` and
        the ``outlays`` its spend-out rule gives (outlays after the window included).

    Examples
    --------
    >>> import enforcecost as ec
    >>> sc = ec.load_scenario("revival_2025/revival_as_enacted")
    >>> t = ec.budget_authority(sc)
    >>> round(t.loc[t["appropriation"] == "detention", "budget_authority"].sum() / 1e9, 1)
    45.0
    """
    return budget_table(tuple(scenario.appropriations))
