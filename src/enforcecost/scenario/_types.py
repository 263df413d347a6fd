"""The scenario types, :class:`Scenario` and :class:`RunConfig`, checked on construction.

A scenario built in code is checked as a file would be: its fields go through
the same tables (:mod:`._rules`) and ``[parameters]`` rules (:mod:`._settings`),
and every problem is reported at once, each under the file ``"<code>"`` (or
the file the scenario was read from).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import Problem, ScenarioError
from ..provisions import PROVISIONS
from ..registry import registry
from ._appropriations import Appropriation
from ._rules import (
    RUN,
    SCENARIO,
    Sampler,
    check_correlations,
    correlation_draws_problems,
    is_int,
)
from ._schedules import window_problems
from ._settings import Setting, parse_settings

__all__ = ["CODE", "RunConfig", "Scenario", "modified_words"]

#: The file named by the problems of a scenario built in code.
CODE = "<code>"


@dataclass(frozen=True)
class RunConfig:
    """How a Monte Carlo run draws: ``draws`` > 0, ``seed`` >= 0, ``sampler``."""

    draws: int = 1000
    seed: int = 13768
    sampler: Sampler = "sobol"


def _default_discount_rate() -> float:
    return registry()["discount_rate"].value


@dataclass(frozen=True, repr=False)
class Scenario:
    """A scenario: window, provisions and parameter settings over the registry.

    Build one in code with plain values; they are checked as a file would be::

        sc = Scenario(
            name="Half the officers",
            parameters={
                "ero_officers_added": 5000,
                "bed_day_cost": {"dist": "triangular", "low": 126, "mode": 133, "high": 164},
            },
            baseline=load_scenario("pre_eo_2016"),
        )

    Parameters
    ----------
    name : str
        Title used in tables and reports.
    description : str
        What the scenario describes.
    start_year : int
        First fiscal year of the window.
    years : int
        Window length in fiscal years.
    dollar_year : int
        Constant-dollar base of the ``real`` and ``pv`` bases.
    discount_rate : float
        Real annual discount rate for ``pv``; default the registry's ``discount_rate``.
    provisions : sequence of str
        The provisions costed (default: all of them).
    parameters : mapping
        Overrides of the registry: ``name -> number | {value=...} | {dist=...}``
        (plain values are parsed into :class:`Setting`). Kept as a read-only
        mapping of settings: change them with :meth:`replace`, which checks them.
    baseline : Scenario or None
        The scenario the impact is measured against, on the same draws and
        over this scenario's window, dollar year, discount rate and provisions
        (a baseline costing other provisions is restricted to these).
    run : RunConfig
        Monte Carlo settings.
    path : Path or None
        The file it was read from.
    files : tuple of Path
        Every file the loader read for it, in reading order: ``path``, the
        files it extends, then its baseline's files (empty for a scenario built
        in code). Read-only bookkeeping, not part of equality; the command line
        uses it so an output directory never replaces an input.
    correlations : sequence
        Rank correlations between uncertain inputs, each ``(name_a, name_b,
        rank)`` or a file's ``{inputs = [a, b], rank = r}``; induced by
        Iman-Conover reordering in :func:`~enforcecost.simulate`. Normalized to
        a tuple of ``(a, b, rank)`` with ``a < b``.
    hindcast : bool
        True when the policy side describes years already past, as they were
        carried out: :func:`~enforcecost.hindcast` compares it with published
        outcomes, and its report has a hindcast section (default False).
    compare_with : str or None
        A scenario of another era (a file, resolved by the loader, or a shipped
        name) that its report sets beside this one (:func:`~enforcecost.compare_eras`).
    appropriations : tuple of Appropriation
        The file's ``[appropriations]`` tables, resolved (budget authority and
        its spend-out; :func:`~enforcecost.scenario.budget_table`). Their outlays are
        already in ``parameters`` (``appropriation_outlays_<account>``), set by the
        loader: this field is their record, for reports.

    Raises
    ------
    ScenarioError
        Listing every invalid field or parameter.
    """

    name: str
    description: str = ""
    start_year: int = 2017
    years: int = 10
    dollar_year: int = 2017
    discount_rate: float = field(default_factory=_default_discount_rate)
    provisions: tuple[str, ...] = PROVISIONS
    parameters: Mapping[str, Any] = field(default_factory=dict)
    baseline: Scenario | None = None
    run: RunConfig = field(default_factory=RunConfig)
    path: Path | None = None
    correlations: Sequence[Any] = ()
    hindcast: bool = False
    compare_with: str | None = None
    appropriations: tuple[Appropriation, ...] = field(default=(), repr=False)
    files: tuple[Path, ...] = field(default=(), compare=False, repr=False)
    #: What the scenario held when made with ``path`` (see :attr:`modified`): private
    #: bookkeeping that copies (:meth:`replace`, :func:`dataclasses.replace`) carry.
    _origin: Mapping[str, Any] | None = field(default=None, compare=False, repr=False,
                                              kw_only=True)

    def __post_init__(self) -> None:
        where = str(self.path) if self.path else CODE
        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        settings, correlations, problems = _check(given, where, {})
        if not any(p.key in ("[scenario] start_year", "[scenario] years") for p in problems):
            # the window is valid: check the valid schedules against it (all problems at once)
            problems += [
                found for n, s in settings.items() if s.schedule is not None
                for found in window_problems(n, s.schedule, s.source, self.start_year,
                                             self.years)
            ]
        if problems:
            raise ScenarioError(problems)
        object.__setattr__(self, "provisions", tuple(self.provisions))
        object.__setattr__(self, "parameters", MappingProxyType(settings))  # no edits in place
        object.__setattr__(self, "correlations", correlations)
        base = self.baseline
        if base is not None and base.provisions != self.provisions:
            # The impact compares like with like: the baseline costs the same provisions
            # (a rule of the impact, not a change made in code to the baseline's file).
            origin = (None if base._origin is None
                      else {**base._origin, "provisions": self.provisions})
            object.__setattr__(self, "baseline",
                               replace(base, provisions=self.provisions, _origin=origin))
        if self.path is not None and self._origin is None:
            # made with a file (by the loader): what changes in code are measured against
            object.__setattr__(self, "_origin", _snapshot(self))

    # -- pickling (a mappingproxy does not pickle) ------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["parameters"] = dict(self.parameters)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state, parameters=MappingProxyType(dict(state["parameters"])))
        for name, value in state.items():
            object.__setattr__(self, name, value)

    # -- display -----------------------------------------------------------
    def __repr__(self) -> str:
        """One line: name, provenance, window, provisions, parameters set, baseline.

        E.g. ``Scenario('EO 13768, full implementation', eo13768.toml,
        FY2017–FY2026, 13 provisions, 1 input off registry, baseline 'Pre-order
        baseline (Priority …')``: names are cut to fit about 200 characters.
        """
        source = self.provenance
        if len(source) > 48 and self.path is not None:
            source = f"{self.path.name}, modified in code ({len(self.modified)} changes)"
        n, k = len(self.provisions), len(self._differences())
        parts = [
            repr(_clip(self.name, 40)),
            _clip(source, 48),
            f"FY{self.start_year}\u2013FY{self.start_year + self.years - 1}",
            f"{n} provision{'s' if n != 1 else ''}",
            f"{k} input{'s' if k != 1 else ''} off registry",
        ]
        if self.baseline is not None:
            parts.append(f"baseline {_clip(self.baseline.name, 30)!r}")
        return f"Scenario({', '.join(parts)})"

    def _differences(self) -> dict[str, tuple[Setting, Setting]]:
        """The inputs whose setting differs from the registry's default.

        Returns
        -------
        dict of str to (Setting, Setting)
            Name -> (this scenario's setting, the registry's), in registry
            order, for each input whose value, distribution, dollar year or
            schedule differs.
        """
        reg = registry()
        out = {}
        for name, s in self.settings().items():
            default = Setting.from_registry(reg[name])
            if _numbers(s) != _numbers(default):
                out[name] = (s, default)
        return out

    def _repr_html_(self) -> str:
        """Its differences from the registry as an HTML table, for a notebook."""
        reg = registry()
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in (
                name, _setting_words(s), _setting_words(d), reg[name].unit,
                "" if s.source == "registry" else Path(s.source).name
                if s.source != CODE else CODE)) + "</tr>"
            for name, (s, d) in self._differences().items()
        )
        head = "".join(f"<th>{h}</th>" for h in ("input", "this scenario", "registry", "unit",
                                                   "set in"))
        title = f"<p><strong>{html.escape(repr(self))}</strong></p>"
        if not rows:
            return f"<div>{title}<p>Every input is at its registry default.</p></div>"
        note = ("<p><small>Inputs set differently from the registry (enforcecost params), "
                "in the registry's unit and dollar year.</small></p>")
        return (f"<div>{title}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
                f"</table>{note}</div>")

    # -- views -------------------------------------------------------------
    def settings(self) -> dict[str, Setting]:
        """Every model input's setting: registry defaults overlaid with this scenario's."""
        out = {n: Setting.from_registry(p) for n, p in registry().items() if p.role == "input"}
        out.update(self.parameters)
        return out

    @property
    def modified(self) -> tuple[str, ...]:
        """What was changed in code since the scenario was read from :attr:`path`.

        The fields that change the numbers (``start_year``, ``years``,
        ``dollar_year``, ``discount_rate``, ``provisions``, ``run``,
        ``correlations``, ``hindcast``, and ``baseline`` when it is another
        scenario), then the parameters whose value, distribution, dollar year or
        schedule differ from the file's, in registry order. Empty for a scenario
        as read, and for one built in code (``path`` None). The name and
        description are labels: changing them alone changes no number.

        Examples
        --------
        >>> from enforcecost import load_scenario
        >>> sc = load_scenario("eo13768")
        >>> sc.replace(parameters={"ero_officers_added": 5000}, name="Half officers").modified
        ('ero_officers_added',)
        """
        if self._origin is None:
            return ()
        now = _snapshot(self)
        fields = [k for k in (*_TRACKED, "baseline") if now[k] != self._origin[k]]
        was, settings = self._origin["parameters"], now["parameters"]
        params = [n for n in settings if settings[n] != was.get(n)]
        return (*fields, *params)

    @property
    def provenance(self) -> str:
        """Where the scenario's numbers come from, in words, for footnotes, manifests and reports.

        ``'eo13768.toml'`` as read from that file; ``'eo13768.toml, modified in
        code: ero_officers_added'`` when changed in code since (:attr:`modified`);
        ``'defined in code'`` for a scenario built in code without a file.
        """
        if self.path is None:
            return "defined in code"
        return self.path.name + modified_words(self.modified)

    def uncertain(self) -> list[str]:
        """Names of the inputs with a distribution, in registry order."""
        return [n for n, s in self.settings().items() if s.dist is not None]

    def replace(self, **changes: Any) -> Scenario:
        """A copy with fields changed (``parameters`` are merged into the current ones).

        Examples
        --------
        >>> sc = Scenario(name="a").replace(parameters={"ero_officers_added": 5000})
        >>> sc.parameters["ero_officers_added"].value
        5000.0
        """
        # The changes come from code, not from this scenario's file: they are checked,
        # and new settings are sourced, as "<code>" (a file's name would mislead).
        parsed, _, problems = _check(changes, CODE, self.parameters)
        if problems:
            raise ScenarioError(problems)
        if "parameters" in changes:
            changes["parameters"] = {**self.parameters, **parsed}
        return replace(self, **changes)

    def fixed(self) -> Scenario:
        """A copy where every input is fixed at its central value (no uncertainty).

        Correlations are dropped with the distributions they relate.
        """
        params = {
            n: replace(s, dist=None) for n, s in self.settings().items() if s.dist is not None
        }
        base = self.baseline.fixed() if self.baseline is not None else None
        return replace(
            self, parameters={**self.parameters, **params}, baseline=base, correlations=()
        )


#: The fields whose change in code :attr:`Scenario.modified` lists (they change numbers).
_TRACKED = ("start_year", "years", "dollar_year", "discount_rate", "provisions", "run",
            "correlations", "hindcast")
#: Changes listed by name in :func:`modified_words`; the rest are counted.
_LISTED = 4


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _numbers(s: Setting) -> tuple[Any, ...]:
    """What of a setting changes the numbers: value, distribution, dollar year, schedule."""
    return (s.value, s.dist, s.dollar_year, s.schedule)


def _setting_words(s: Setting) -> str:
    """A setting in words: ``'5,000'``, ``'133 (2017 $), pert(low=126, mode=133, high=164)'``."""
    words = f"{s.value:,.6g}"
    if s.schedule is not None:
        by_year = ", ".join(f"{y}: {v:,.6g}" for y, v in s.schedule)
        words = f"by year {{{by_year}}}" + (f" x {words}" if s.value != 1 else "")
    if s.dollar_year is not None:
        words += f" ({s.dollar_year} $)"
    if s.dist is not None:
        args = ", ".join(f"{k}={v:g}" if isinstance(v, int | float) else f"{k}={v}"
                         for k, v in s.dist.args.items())
        words += f", {s.dist.kind}({args})"
    return words


def _snapshot(sc: Scenario) -> dict[str, Any]:
    """The numbers-bearing state of ``sc``: its tracked fields, its baseline's (file and
    state, but for the provisions, which follow the policy's), and every input's value,
    distribution, dollar year and schedule (not where it was set)."""
    snap: dict[str, Any] = {k: getattr(sc, k) for k in _TRACKED}
    base = sc.baseline
    snap["baseline"] = None if base is None else (
        base.path, {k: v for k, v in _snapshot(base).items() if k != "provisions"})
    snap["parameters"] = {n: _numbers(s) for n, s in sc.settings().items()}
    return snap


def modified_words(changes: Sequence[str]) -> str:
    """``', modified in code: a, b'`` for a non-empty ``changes`` (after four names, how many
    more), ``''`` for none: the suffix of a file's name in :attr:`Scenario.provenance`.

    Examples
    --------
    >>> modified_words(["years", "a", "b", "c", "d", "e"])
    ', modified in code: years, a, b, c and 2 more'
    >>> modified_words([])
    ''
    """
    if not changes:
        return ""
    shown = ", ".join(changes[:_LISTED])
    rest = len(changes) - _LISTED
    return f", modified in code: {shown}" + (f" and {rest} more" if rest > 0 else "")


def _check(
    given: Mapping[str, Any], where: str, current: Mapping[str, Setting]
) -> tuple[dict[str, Setting], tuple[tuple[str, str, float], ...], list[Problem]]:
    """Check the fields of a :class:`Scenario` in ``given`` as a file's values would be.

    Parameters
    ----------
    given : mapping
        Field name -> value; only the fields present are checked.
    where : str
        The file named by the problems.
    current : mapping of str to Setting
        Settings the given ``parameters`` are merged into (correlations are
        checked against the merged settings).

    Returns
    -------
    settings : dict of str to Setting
        The given parameters, parsed.
    correlations : tuple of (str, str, float)
        The given correlations, normalized.
    problems : list of Problem
    """
    table = {k: v for k, v in given.items() if k in SCENARIO.keys}
    table.pop("extends", None)  # a file's keys; in code the baseline is a Scenario
    baseline = table.pop("baseline", None)
    if isinstance(table.get("provisions"), list | tuple):
        table["provisions"] = list(table["provisions"])
    problems = SCENARIO.check(table, where, "[scenario] ")
    settings: dict[str, Setting] = {}
    if "parameters" in given:
        parameters = given["parameters"]
        if isinstance(parameters, Mapping):
            settings, found = parse_settings({n: (s, where) for n, s in parameters.items()})
            problems += found
        else:
            problems.append(Problem(where, "[parameters]", "must be a table", parameters))
    if baseline is not None and not isinstance(baseline, Scenario):
        problems.append(
            Problem(where, "[scenario] baseline", "must be a Scenario or None", baseline)
        )
    run = given.get("run")
    if "run" in given and not isinstance(run, RunConfig):
        problems.append(Problem(where, "[run]", "must be a RunConfig", run))
    elif isinstance(run, RunConfig):
        problems += RUN.check(dataclasses.asdict(run), where, "[run] ")
    correlations: tuple[tuple[str, str, float], ...] = ()
    if "correlations" in given:
        merged = {**current, **settings}
        correlations, found = check_correlations(given["correlations"], where, merged)
        problems += found
        if not found and isinstance(run, RunConfig) and is_int(run.draws):
            problems += correlation_draws_problems(correlations, run.draws, where, "[run] draws")
    return settings, correlations, problems
