"""Scenarios: the world described by parameter values, read from TOML or built in code.

A scenario file has three tables, ``[scenario]``, ``[parameters]`` and ``[run]``
(see DESIGN §4 and the shipped ``scenarios/``). Loading checks everything and
reports every problem at once in a :class:`~enforcecost.ScenarioError`, each
problem naming the file, the key, the rule and the offending value.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from .errors import Problem, ScenarioError
from .provisions import PROVISIONS
from .registry import Distribution, Parameter, check_distribution, check_value, cpi_u, registry

__all__ = [
    "MAX_DEPTH",
    "MAX_DRAWS",
    "SAMPLERS",
    "RunConfig",
    "Scenario",
    "Setting",
    "load_scenario",
    "shipped_scenarios",
]

Sampler = Literal["sobol", "lhs", "random"]
SAMPLERS: tuple[Sampler, ...] = ("sobol", "lhs", "random")
DollarYear = int | Literal["nominal"] | None

_SCENARIO_KEYS = {
    "name": "a short title",
    "description": "what the scenario describes",
    "extends": "a scenario file to inherit from",
    "baseline": "the scenario the impact is measured against",
    "start_year": "first fiscal year",
    "years": "window length in fiscal years",
    "dollar_year": "constant-dollar base",
    "discount_rate": "real discount rate for 'pv'",
    "provisions": "the provisions to cost",
}
_RUN_KEYS = {"draws", "seed", "sampler"}
_TABLES = {"scenario", "parameters", "run", "correlation"}
_YEAR_MAX = 2100
_YEARS_MAX = 100
_CODE = "<code>"
#: Most Monte Carlo draws a run may ask for: ``2**30`` (1,073,741,824), the
#: number of distinct points the scrambled Sobol' engine (30 bits) can make;
#: one limit for every sampler, so a file's ``[run] draws`` is valid whichever
#: sampler runs it. (Far beyond any study's need: 10 million draws pin the
#: shipped scenarios' means to a few dollars.)
MAX_DRAWS = 1 << 30
#: Longest chain of files a scenario may form through ``extends`` (the file
#: itself and the files it extends), and through ``baseline`` (a baseline's
#: own baseline, and so on): inheritance deeper than this is a mistake, and
#: the chain is read without recursing deeper than this.
MAX_DEPTH = 32


def _shipped_dir() -> Path:
    return Path(str(resources.files("enforcecost").joinpath("data/scenarios")))


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios shipped with the package, by name (``calibration/...`` included)."""
    root = _shipped_dir()
    return {
        p.relative_to(root).with_suffix("").as_posix(): p for p in sorted(root.rglob("*.toml"))
    }


@dataclass(frozen=True)
class Setting:
    """A parameter's value in a scenario.

    Attributes
    ----------
    value : float
        Central value (the deterministic run), in the registry unit and in
        ``dollar_year`` dollars.
    dist : Distribution or None
        Uncertainty; None when fixed.
    dollar_year : int, 'nominal' or None
        Dollar year of ``value`` and ``dist`` (money only).
    source : str
        Where the setting comes from: ``"registry"`` or the scenario file.
    """

    value: float
    dist: Distribution | None = None
    dollar_year: DollarYear = None
    source: str = "registry"

    @classmethod
    def from_registry(cls, param: Parameter) -> Setting:
        """The registry default for ``param``."""
        return cls(param.value, param.uncertainty, param.dollar_year, "registry")


@dataclass(frozen=True)
class RunConfig:
    """How a Monte Carlo run draws: ``draws`` > 0, ``seed`` >= 0, ``sampler``."""

    draws: int = 1000
    seed: int = 13768
    sampler: Sampler = "sobol"


def _default_discount_rate() -> float:
    return registry()["discount_rate"].value


@dataclass(frozen=True)
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
        The provisions costed (default: all eleven).
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
    files: tuple[Path, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        where = str(self.path) if self.path else _CODE
        # Built in code, the fields can hold anything: check them as a file's values.
        provisions: Any = self.provisions
        raw_scenario = {
            "name": self.name,
            "description": self.description,
            "start_year": self.start_year,
            "years": self.years,
            "dollar_year": self.dollar_year,
            "discount_rate": self.discount_rate,
            "provisions": list(provisions) if isinstance(provisions, list | tuple) else provisions,
        }
        problems = _check_scenario_table(raw_scenario, where)
        settings: dict[str, Setting] = {}
        parameters: Any = self.parameters
        if isinstance(parameters, Mapping):
            for name, spec in parameters.items():
                if isinstance(spec, Setting) and isinstance(name, str):
                    found = _check_setting(name, spec, where)
                    setting = None if found else spec
                else:
                    setting, found = _parse_setting(name, spec, where)
                problems += found
                if setting is not None:
                    settings[name] = setting
        else:
            problems.append(Problem(where, "[parameters]", "must be a table", parameters))
        baseline: Any = self.baseline
        if baseline is not None and not isinstance(baseline, Scenario):
            problems.append(Problem(where, "[scenario] baseline", "must be a Scenario or None",
                                    baseline))
        run: Any = self.run
        if not isinstance(run, RunConfig):
            problems.append(Problem(where, "[run]", "must be a RunConfig", run))
        else:
            problems += _check_run(
                {"draws": run.draws, "seed": run.seed, "sampler": run.sampler}, where
            )
        correlations, found = _check_correlations(self.correlations, where, settings)
        problems += found
        if not found and isinstance(run, RunConfig) and _is_int(run.draws):
            problems += correlation_draws_problems(correlations, run.draws, where, "[run] draws")
        if problems:
            raise ScenarioError(problems)
        object.__setattr__(self, "provisions", tuple(self.provisions))
        object.__setattr__(self, "parameters", MappingProxyType(settings))  # no edits in place
        object.__setattr__(self, "correlations", correlations)
        base = self.baseline
        if base is not None and base.provisions != self.provisions:
            # The impact compares like with like: the baseline costs the same provisions.
            object.__setattr__(self, "baseline", replace(base, provisions=self.provisions))

    # -- pickling (a mappingproxy does not pickle) ------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["parameters"] = dict(self.parameters)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state, parameters=MappingProxyType(dict(state["parameters"])))
        for name, value in state.items():
            object.__setattr__(self, name, value)

    # -- views -------------------------------------------------------------
    def settings(self) -> dict[str, Setting]:
        """Every model input's setting: registry defaults overlaid with this scenario's."""
        out = {n: Setting.from_registry(p) for n, p in registry().items() if p.role == "input"}
        out.update(self.parameters)
        return out

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
        problems: list[Problem] = []
        if "parameters" in changes:
            new: Any = changes["parameters"]
            parsed: dict[Any, Any] = {}
            if isinstance(new, Mapping):
                for name, spec in new.items():
                    if isinstance(spec, Setting) and isinstance(name, str):
                        found = _check_setting(name, spec, _CODE)
                        setting: Setting | None = None if found else spec
                    else:
                        setting, found = _parse_setting(name, spec, _CODE)
                    problems += found
                    if setting is not None:
                        parsed[name] = setting
            else:
                problems.append(Problem(_CODE, "[parameters]", "must be a table", new))
            changes["parameters"] = {**self.parameters, **parsed}
        fields = {k: v for k, v in changes.items() if k in _SCENARIO_KEYS}
        if isinstance(fields.get("provisions"), tuple):
            fields["provisions"] = list(fields["provisions"])
        fields.pop("baseline", None)
        problems += _check_scenario_table(fields, _CODE)
        baseline: Any = changes.get("baseline")
        if baseline is not None and not isinstance(baseline, Scenario):
            problems.append(
                Problem(_CODE, "[scenario] baseline", "must be a Scenario or None", baseline)
            )
        if "run" in changes:
            run: Any = changes["run"]
            if isinstance(run, RunConfig):
                problems += _check_run(
                    {"draws": run.draws, "seed": run.seed, "sampler": run.sampler}, _CODE
                )
            else:
                problems.append(Problem(_CODE, "[run]", "must be a RunConfig", run))
        if "correlations" in changes:
            merged = changes.get("parameters", self.parameters)
            problems += _check_correlations(changes["correlations"], _CODE, merged)[1]
        if problems:
            raise ScenarioError(problems)
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


# -- checking ------------------------------------------------------------------
def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    """An int or float, Python's or NumPy's; not a bool (``numpy.bool_`` is neither)."""
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)


def _float(v: int | float) -> float:
    """``float(v)``; an int beyond the float range is +-inf, as a float literal that big is."""
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _suggest(key: str, options: Iterable[str]) -> str:
    match = difflib.get_close_matches(key, list(options), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _check_scenario_table(t: Mapping[str, Any], where: str) -> list[Problem]:
    out: list[Problem] = []

    def bad(key: str, rule: str) -> None:
        out.append(Problem(where, f"[scenario] {key}", rule, t[key]))

    for key in ("name", "description"):
        if key in t and not isinstance(t[key], str):
            bad(key, "must be a string")
    if "name" in t and isinstance(t["name"], str) and not t["name"].strip():
        bad("name", "must not be empty")
    first = cpi_u().first_year
    for key in ("start_year", "dollar_year"):
        if key in t and not (_is_int(t[key]) and first <= t[key] <= _YEAR_MAX):
            bad(key, f"must be a whole year from {first} to {_YEAR_MAX}")
    if "years" in t and not (_is_int(t["years"]) and 1 <= t["years"] <= _YEARS_MAX):
        bad("years", f"must be a whole number from 1 to {_YEARS_MAX}")
    if "discount_rate" in t:
        p = registry()["discount_rate"]
        v = t["discount_rate"]
        rule = check_value(p, _float(v)) if _is_number(v) else "must be a number"
        if rule:
            bad("discount_rate", rule)
    if "provisions" in t:
        v = t["provisions"]
        if not (isinstance(v, list) and v and all(isinstance(x, str) for x in v)):
            bad("provisions", "must be a non-empty list of provision names")
        else:
            for x in v:
                if x not in PROVISIONS:
                    out.append(
                        Problem(
                            where,
                            "[scenario] provisions",
                            f"unknown provision{_suggest(x, PROVISIONS)}; "
                            f"known: {', '.join(PROVISIONS)}",
                            x,
                        )
                    )
            if len(set(v)) != len(v):
                bad("provisions", "must not repeat a provision")
    return out


def _check_run(t: Mapping[str, Any], where: str) -> list[Problem]:
    out: list[Problem] = []
    if "draws" in t and not (_is_int(t["draws"]) and 1 <= t["draws"] <= MAX_DRAWS):
        out.append(Problem(where, "[run] draws",
                           f"must be a whole number from 1 to {MAX_DRAWS:,} (2**30, the most "
                           "points the Sobol' design can make)", t["draws"]))
    if "seed" in t and not (_is_int(t["seed"]) and t["seed"] >= 0):
        out.append(Problem(where, "[run] seed", "must be a whole number >= 0", t["seed"]))
    if "sampler" in t and t["sampler"] not in SAMPLERS:
        out.append(
            Problem(where, "[run] sampler", f"must be one of {', '.join(SAMPLERS)}", t["sampler"])
        )
    return out


def _check_correlations(
    entries: Any, where: str, settings: Mapping[str, Setting]
) -> tuple[tuple[tuple[str, str, float], ...], list[Problem]]:
    """Check rank correlations; return them as sorted ``(a, b, rank)`` and the problems."""
    problems: list[Problem] = []
    out: dict[tuple[str, str], float] = {}
    if not isinstance(entries, list | tuple):
        return (), [Problem(where, "[[correlation]]", "must be a list of tables", entries)]
    reg = registry()
    for i, entry in enumerate(entries):
        key = f"[[correlation]] #{i + 1}"
        if isinstance(entry, tuple) and len(entry) == 3:
            entry = {"inputs": list(entry[:2]), "rank": entry[2]}
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, key, "must be a table {inputs = [a, b], rank = r}",
                                    entry))
            continue
        for extra in sorted(set(entry) - {"inputs", "rank"}, key=str):
            problems.append(Problem(where, f"{key} {extra}", "unknown key"
                                    + _suggest(str(extra), ["inputs", "rank"]), entry[extra]))
        inputs, rank = entry.get("inputs"), entry.get("rank")
        ok = True
        if not (isinstance(inputs, list | tuple) and len(inputs) == 2
                and all(isinstance(x, str) for x in inputs) and inputs[0] != inputs[1]):
            problems.append(Problem(where, f"{key} inputs",
                                    "must name two different parameters", inputs))
            ok = False
        else:
            for name in inputs:
                if name not in reg or reg[name].role != "input":
                    problems.append(Problem(where, f"{key} inputs", "unknown parameter"
                                            + _suggest(name, reg), name))
                    ok = False
                else:
                    setting = settings.get(name) or Setting.from_registry(reg[name])
                    if setting.dist is None:
                        problems.append(Problem(where, f"{key} inputs",
                                                "is fixed in this scenario: only uncertain "
                                                "inputs can be correlated", name))
                        ok = False
        if not (_is_number(rank) and -1.0 < _float(rank) < 1.0):  # type: ignore[arg-type]
            problems.append(Problem(where, f"{key} rank",
                                    "must be a number strictly between -1 and 1", rank))
            ok = False
        if ok:
            # a later entry for the same pair (say, in a file that extends
            # another) replaces the earlier one
            a, b = sorted(inputs)  # type: ignore[arg-type]
            out[(a, b)] = _float(rank)  # type: ignore[arg-type]
    if out and not problems:
        names = sorted({n for pair in out for n in pair})
        matrix = np.eye(len(names))
        for (a, b), r in out.items():
            i, j = names.index(a), names.index(b)
            matrix[i, j] = matrix[j, i] = r
        if np.linalg.eigvalsh(matrix).min() <= 0:
            problems.append(Problem(where, "[[correlation]]",
                                    "the rank correlations together are not a possible "
                                    "correlation matrix (not positive definite)",
                                    {f"{a}~{b}": r for (a, b), r in out.items()}))
    return tuple((a, b, r) for (a, b), r in sorted(out.items())), problems


def correlation_draws_needed(correlations: Sequence[tuple[str, str, float]]) -> int:
    """The fewest draws a Monte Carlo run with these rank correlations can make.

    Iman-Conover reordering needs more draws than correlated inputs (see
    :func:`enforcecost.sampling.iman_conover`): ``k + 1`` for ``k`` inputs, 0
    without correlations. (1 draw, central values only, draws nothing.)
    """
    return len({n for a, b, _ in correlations for n in (a, b)}) + 1 if correlations else 0


def correlation_draws_problems(
    correlations: Sequence[tuple[str, str, float]], draws: int, where: str, key: str,
) -> list[Problem]:
    """A problem if a Monte Carlo run of ``draws`` (> 1) draws cannot induce the correlations."""
    need = correlation_draws_needed(correlations)
    if draws == 1 or draws >= need:
        return []
    return [Problem(where, key, f"the rank correlations ([[correlation]]) relate {need - 1} "
                    f"inputs; a Monte Carlo run needs more draws than that: at least {need} "
                    "(or 1, central values only)", draws)]


def _parse_setting(name: Any, spec: Any, where: str) -> tuple[Setting | None, list[Problem]]:
    """Parse one ``[parameters]`` entry; return the setting and its problems."""
    if not isinstance(name, str):
        return None, [Problem(where, f"[parameters] {name!r}", "a parameter name must be a string",
                              spec)]
    key = f"[parameters] {name}"
    reg = registry()
    if name not in reg:
        return None, [Problem(where, key, "unknown parameter" + _suggest(name, reg), spec)]
    param = reg[name]
    if param.role == "reference":
        return None, [
            Problem(where, key, "is a reference figure (a cross-check), not a model input", spec)
        ]

    def value_problem(v: Any, sub: str = "") -> Problem | None:
        k = f"{key}.{sub}" if sub else key
        if not _is_number(v):
            return Problem(where, k, f"must be a number ({param.unit})", v)
        rule = check_value(param, _float(v))
        return Problem(where, k, rule, v) if rule else None

    if _is_number(spec):
        found = value_problem(spec)
        if found:
            return None, [found]
        return Setting(_float(spec), None, param.dollar_year, where), []
    if not isinstance(spec, Mapping):
        return None, [
            Problem(where, key, "must be a number or a table {value=...} or {dist=...}", spec)
        ]

    problems: list[Problem] = []
    spec = dict(spec)
    dollar_year: DollarYear = param.dollar_year
    if "dollar_year" in spec:
        dy = spec.pop("dollar_year")
        first = cpi_u().first_year
        if not param.is_money:
            problems.append(
                Problem(where, f"{key}.dollar_year", f"only money parameters take one "
                        f"(unit of {name} is {param.unit!r})", dy)
            )
        elif dy == "nominal" or (_is_int(dy) and first <= dy <= _YEAR_MAX):
            dollar_year = dy
        else:
            problems.append(
                Problem(where, f"{key}.dollar_year",
                        f"must be a whole year from {first} to {_YEAR_MAX}, or 'nominal'", dy)
            )
    value = spec.pop("value", None)
    if value is not None:
        found = value_problem(value, "value")
        if found:
            problems.append(found)
    if "dist" not in spec:
        for extra in sorted(spec, key=str):
            problems.append(
                Problem(where, f"{key}.{extra}",
                        "unknown key (a setting takes value, dollar_year, or dist and its "
                        "keys)" + _suggest(str(extra), ["value", "dollar_year", "dist"]),
                        spec[extra])
            )
        if value is None and not problems:
            problems.append(Problem(where, key, "needs 'value' or 'dist'", spec))
        if problems:
            return None, problems
        assert value is not None
        return Setting(_float(value), None, dollar_year, where), []

    dist, dist_problems = check_distribution(spec)
    problems += [Problem(where, f"{key}.{k}", rule, v) for k, rule, v in dist_problems]
    if dist is not None:
        problems += _range_problems(param, dist, key, where)
    if problems or dist is None:
        return None, problems
    central = _float(value) if value is not None else dist.central
    return Setting(central, dist, dollar_year, where), []


def _range_problems(param: Parameter, dist: Distribution, key: str, where: str) -> list[Problem]:
    out = []
    for end in dist.range:
        rule = check_value(param, end)
        if rule:
            out.append(
                Problem(where, key, f"distribution reaches {end:g}, which {rule}", dist.to_spec())
            )
    return out


def _check_setting(name: str, setting: Setting, where: str) -> list[Problem]:
    """Check a :class:`Setting` given directly in code (names, value and range as in a file)."""
    key = f"[parameters] {name}"
    reg = registry()
    if name not in reg:
        return [Problem(where, key, "unknown parameter" + _suggest(name, reg), setting)]
    param = reg[name]
    if param.role == "reference":
        return [
            Problem(where, key, "is a reference figure (a cross-check), not a model input",
                    setting)
        ]
    v = setting.value
    rule = check_value(param, _float(v)) if _is_number(v) else f"must be a number ({param.unit})"
    out = [Problem(where, f"{key}.value", rule, v)] if rule else []
    dist: Any = setting.dist
    if dist is not None:
        if isinstance(dist, Distribution):
            out += _range_problems(param, dist, key, where)
        else:
            out.append(Problem(where, f"{key}.dist", "must be a Distribution or None",
                               dist))
    return out


# -- files ---------------------------------------------------------------------
def _locate(ref: str, relative_to: Path | None) -> Path | None:
    """Find a referenced scenario: relative to the referring file, else a shipped name."""
    candidates = []
    if relative_to is not None:
        candidates.append(relative_to.parent / ref)
    candidates.append(Path(ref))
    shipped = shipped_scenarios()
    stem = ref[:-5] if ref.endswith(".toml") else ref
    if stem in shipped:
        candidates.append(shipped[stem])
    for c in candidates:
        if _is_file(c):
            return c
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False for names the OS refuses (too long, bad characters)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(Problem(str(path), "", "file not found"))
    except IsADirectoryError:
        problems.append(Problem(str(path), "", "is a directory, not a scenario file"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), "", f"not UTF-8 text: {exc.reason}"))
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(str(path), "", f"cannot be read: {exc.strerror}"))
    return None


@dataclass
class _Raw:
    """A scenario file merged with what it extends, before checking the result."""

    scenario: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (spec, file)
    run: dict[str, Any] = field(default_factory=dict)
    baseline: tuple[str, Path] | None = None  # (reference, file it is written in)
    correlations: list[Any] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # this file and those it extends


def _collect(path: Path, problems: list[Problem], chain: tuple[Path, ...]) -> _Raw | None:
    where = str(path)
    if path.resolve() in chain:
        problems.append(
            Problem(where, "[scenario] extends", "extends itself (a cycle)",
                    " -> ".join(p.name for p in (*chain, path.resolve())))
        )
        return None
    doc = _read(path, problems)
    if doc is None:
        return None
    for table in sorted(doc.keys() - _TABLES):
        problems.append(
            Problem(where, f"[{table}]", "unknown table" + _suggest(table, _TABLES)
                    + f"; a scenario file has {', '.join(sorted(_TABLES))}", ...)
        )
    tables: dict[str, dict[str, Any]] = {}
    for table in (_TABLES - {"correlation"}) & doc.keys():
        if isinstance(doc[table], dict):
            tables[table] = doc[table]
        else:
            problems.append(Problem(where, f"[{table}]", "must be a table", doc[table]))
    sc = tables.get("scenario", {})
    run = tables.get("run", {})
    for key in sorted(sc.keys() - _SCENARIO_KEYS.keys()):
        problems.append(
            Problem(where, f"[scenario] {key}", "unknown key" + _suggest(key, _SCENARIO_KEYS),
                    sc[key])
        )
    for key in sorted(run.keys() - _RUN_KEYS):
        problems.append(
            Problem(where, f"[run] {key}", "unknown key" + _suggest(key, _RUN_KEYS), run[key])
        )
    problems += _check_scenario_table({k: v for k, v in sc.items() if k in _SCENARIO_KEYS}, where)
    problems += _check_run(run, where)
    for key in ("extends", "baseline"):
        if key in sc and not isinstance(sc[key], str):
            problems.append(Problem(where, f"[scenario] {key}", "must be a file name", sc[key]))

    raw = _Raw()
    if isinstance(sc.get("extends"), str):
        parent_path = _locate(sc["extends"], path)
        files = (*chain, path.resolve())
        if parent_path is None:
            problems.append(
                Problem(where, "[scenario] extends",
                        "no such file (relative to this file) or shipped scenario", sc["extends"])
            )
        elif len(files) >= MAX_DEPTH and parent_path.resolve() not in files:
            # bounded: the chain is read no deeper than MAX_DEPTH files (no recursion error)
            problems.append(
                Problem(str(files[0]), "[scenario] extends",
                        f"the chain of files through 'extends' is longer than {MAX_DEPTH} "
                        f"files, the most allowed; it starts {_chain_head(files)}",
                        sc["extends"])
            )
        else:
            parent = _collect(parent_path, problems, (*chain, path.resolve()))
            if parent is not None:
                raw = parent
    raw.files.insert(0, path)
    raw.scenario.update({k: v for k, v in sc.items() if k not in ("extends", "baseline")})
    raw.run.update(run)
    for name, spec in tables.get("parameters", {}).items():
        if name in raw.parameters:  # overridden here, but the parent's value must be valid too
            parent_spec, parent_file = raw.parameters[name]
            problems += _parse_setting(name, parent_spec, parent_file)[1]
        raw.parameters[name] = (spec, where)
    if isinstance(sc.get("baseline"), str):
        raw.baseline = (sc["baseline"], path)
    if "correlation" in doc:
        raw.correlations = list(raw.correlations) + (
            doc["correlation"] if isinstance(doc["correlation"], list) else [doc["correlation"]]
        )
    return raw


def _chain_head(files: Sequence[Path], shown: int = 3) -> str:
    """The first files of a chain, for a message: ``a.toml -> b.toml -> c.toml -> ...``."""
    names = [str(f) for f in files[:shown]]
    return " -> ".join(names + (["..."] if len(files) > shown else []))


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file, with what it extends and its baseline.

    Parameters
    ----------
    path : str or Path
        A TOML scenario file, or the name of a shipped scenario
        (``"eo13768"``, ``"calibration/aaf_2015_low"``; see :func:`shipped_scenarios`).

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem in the file, the files it extends and its baseline;
        including values whose ledger amounts could be non-finite or reach the
        exact-sum limit (:func:`enforcecost.model.magnitude_problems`).

    Examples
    --------
    >>> import enforcecost as ec
    >>> sc = ec.load_scenario("eo13768")
    >>> sc.baseline.name
    'Pre-order baseline (Priority Enforcement Program, FY2016)'
    """
    problems: list[Problem] = []
    scenario = _load(Path(path), problems, ())
    if scenario is not None and not problems:
        from .model import magnitude_problems  # the model imports this module

        problems += magnitude_problems(scenario)
    if problems or scenario is None:
        raise ScenarioError(problems or [Problem(str(path), "", "could not be read")])
    return scenario


def _load(path: Path, problems: list[Problem], baselines: tuple[Path, ...]) -> Scenario | None:
    if not _is_file(path):
        located = _locate(str(path), None)
        if located is None and _is_dir(path):
            problems.append(Problem(str(path), "", "is a directory, not a scenario file"))
            return None
        if located is None:
            problems.append(
                Problem(str(path), "", "file not found (nor a shipped scenario: "
                        + ", ".join(shipped_scenarios()) + ")")
            )
            return None
        path = located
    n_before = len(problems)
    raw = _collect(path, problems, ())
    if raw is None:
        return None
    settings: dict[str, Setting] = {}
    for name, (spec, where) in raw.parameters.items():
        setting, found = _parse_setting(name, spec, where)
        problems += found
        if setting is not None:
            settings[name] = setting
    baseline = None
    if raw.baseline is not None:
        ref, written_in = raw.baseline
        base_path = _locate(ref, written_in)
        if base_path is None:
            problems.append(
                Problem(str(written_in), "[scenario] baseline",
                        "no such file (relative to this file) or shipped scenario", ref)
            )
        elif base_path.resolve() in (*baselines, path.resolve()):
            problems.append(
                Problem(str(written_in), "[scenario] baseline",
                        "a scenario cannot be its own baseline (a cycle)", ref)
            )
        elif len(baselines) + 1 >= MAX_DEPTH:
            files = (*baselines, path.resolve())
            problems.append(
                Problem(str(files[0]), "[scenario] baseline",
                        f"the chain of baselines (a baseline's baseline, ...) is longer than "
                        f"{MAX_DEPTH} files, the most allowed; it starts {_chain_head(files)}",
                        ref)
            )
        else:
            baseline = _load(base_path, problems, (*baselines, path.resolve()))
    if "name" not in raw.scenario:
        problems.append(Problem(str(path), "[scenario] name", "required"))
    if len(problems) > n_before:
        return None
    sc = raw.scenario
    kwargs: dict[str, Any] = {
        k: sc[k] for k in ("name", "description", "start_year", "years", "dollar_year",
                           "discount_rate") if k in sc
    }
    if "discount_rate" in kwargs:
        kwargs["discount_rate"] = float(kwargs["discount_rate"])
    if "provisions" in sc:
        kwargs["provisions"] = tuple(sc["provisions"])
    try:
        return Scenario(
            **kwargs,
            parameters=settings,
            baseline=baseline,
            run=RunConfig(**raw.run),
            path=path,
            correlations=raw.correlations,
            files=(*raw.files, *(baseline.files if baseline is not None else ())),
        )
    except ScenarioError as exc:  # pragma: no cover - every rule is checked above
        problems.extend(exc.problems)
        return None
