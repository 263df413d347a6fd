"""A parameter's setting in a scenario, and the rules of a ``[parameters]`` entry.

An entry is ``name = number``, ``name = {value = ..., dollar_year = ...}`` or
``name = {dist = ..., <the distribution's keys>, value = ..., dollar_year = ...}``
(see :mod:`enforcecost.registry`), or a schedule by fiscal year
``name = {by_year = {...}, multiplier = {dist = ...}, dollar_year = ...}``
(see :mod:`._schedules`); ``name`` is a registry input. The
setting table's own keys are checked by :meth:`~._rules.Table.check`, a
distribution's by :func:`~enforcecost.registry.check_distribution`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import Problem, as_float, is_number, suggest
from ..registry import Distribution, Parameter, check_distribution, check_value, cpi_u, registry
from ._rules import YEAR_MAX, Key, Table, is_int
from ._schedules import Schedule, multiplier_problems, parse_schedule

__all__ = ["DollarYear", "Setting", "check_setting", "parse_settings"]

DollarYear = int | Literal["nominal"] | None


@dataclass(frozen=True)
class Setting:
    """A parameter's value in a scenario.

    Attributes
    ----------
    value : float
        Central value (the deterministic run), in the registry unit and in
        ``dollar_year`` dollars; with a ``schedule``, the central multiplier
        of the schedule (1 unless a multiplier distribution is given).
    dist : Distribution or None
        Uncertainty; None when fixed. With a ``schedule``, the distribution of
        the multiplier applied to every year's value.
    dollar_year : int, 'nominal' or None
        Dollar year of ``value`` and ``dist`` (money only).
    source : str
        Where the setting comes from: ``"registry"`` or the scenario file.
    schedule : tuple of (int, float) or None
        Values by fiscal year (years ascending, the step rule between and
        after them, see :mod:`._schedules`), in the registry unit and in
        ``dollar_year`` dollars; None for a value constant over the window.
    """

    value: float
    dist: Distribution | None = None
    dollar_year: DollarYear = None
    source: str = "registry"
    schedule: Schedule | None = None

    @classmethod
    def from_registry(cls, param: Parameter) -> Setting:
        """The registry default for ``param``."""
        return cls(param.value, param.uncertainty, param.dollar_year, "registry", param.by_year)


def _value(param: Parameter) -> Key:
    def check(value: Any) -> Iterator[tuple[str, Any]]:
        if not is_number(value):
            yield f"must be a number ({param.unit})", value
        elif rule := check_value(param, as_float(value)):
            yield rule, value

    return Key("central value, in the registry unit", check)


def _dollar_year(param: Parameter) -> Key:
    def check(value: Any) -> Iterator[tuple[str, Any]]:
        first = cpi_u().first_year
        if not param.is_money:
            yield (f"only money parameters take one (unit of {param.name} is {param.unit!r})",
                   value)
        elif not (value == "nominal" or (is_int(value) and first <= value <= YEAR_MAX)):
            yield f"must be a whole year from {first} to {YEAR_MAX}, or 'nominal'", value

    return Key("dollar year of the value and distribution (money only)", check)


def _setting_table(param: Parameter) -> Table:
    """The keys of ``param``'s setting table (``dist`` brings its own, checked apart)."""
    return Table(
        {
            "dollar_year": _dollar_year(param),
            "value": _value(param),
            "dist": Key("a distribution kind, with its keys", lambda _: iter(())),
        },
        unknown="unknown key (a setting takes value, dollar_year, or dist and its keys)",
    )


def _input(name: Any, found: Any, where: str) -> tuple[Parameter | None, list[Problem]]:
    """The registry input ``name`` an entry sets, or the problem with the name."""
    if not isinstance(name, str):
        return None, [Problem(where, f"[parameters] {name!r}",
                              "a parameter name must be a string", found)]
    key = f"[parameters] {name}"
    reg = registry()
    if name not in reg:
        return None, [Problem(where, key, "unknown parameter" + suggest(name, reg), found)]
    if reg[name].role == "reference":
        return None, [Problem(where, key,
                              "is a reference figure (a cross-check), not a model input", found)]
    return reg[name], []


def parse_setting(name: Any, spec: Any, where: str) -> tuple[Setting | None, list[Problem]]:
    """Parse one ``[parameters]`` entry read from ``where``; the setting and its problems."""
    param, problems = _input(name, spec, where)
    if param is None:
        return None, problems
    key = f"[parameters] {name}"
    if is_number(spec):
        problems = [Problem(where, key, rule, v) for rule, v in _value(param).check(spec)]
        return (None if problems else Setting(as_float(spec), None, param.dollar_year, where),
                problems)
    if not isinstance(spec, Mapping):
        return None, [
            Problem(where, key, "must be a number or a table {value=...}, {dist=...} or "
                    "{by_year=...}", spec)
        ]
    if "by_year" in spec:
        parsed, problems = parse_schedule(param, spec, key, where, _dollar_year(param))
        if parsed is None:
            return None, problems
        schedule, dist = parsed
        return Setting(1.0 if dist is None else dist.central, dist,
                       spec.get("dollar_year", param.dollar_year), where, schedule), []
    table = _setting_table(param)
    own = {k: v for k, v in spec.items() if k in table.keys or "dist" not in spec}
    problems = table.check(own, where, f"{key}.")
    dist = None
    if "dist" in spec:
        rest = {k: v for k, v in spec.items() if k not in ("value", "dollar_year")}
        dist, found = check_distribution(rest)
        problems += [f.at(where, f"{key}.") for f in found]
        if dist is not None:
            problems += _range_problems(param, dist, key, where)
    elif "value" not in spec and not problems:
        problems.append(Problem(where, key, "needs 'value' or 'dist'", spec))
    if problems:
        return None, problems
    value = as_float(spec["value"]) if "value" in spec else None
    if dist is not None and value is None:
        value = dist.central
    assert value is not None
    return Setting(value, dist, spec.get("dollar_year", param.dollar_year), where), []


def _range_problems(param: Parameter, dist: Distribution, key: str, where: str) -> list[Problem]:
    out = []
    for end in dist.range:
        rule = check_value(param, end)
        if rule:
            out.append(
                Problem(where, key, f"distribution reaches {end:g}, which {rule}", dist.to_spec())
            )
    return out


def check_setting(name: Any, setting: Setting, where: str) -> list[Problem]:
    """Check a :class:`Setting` given directly in code (names, value and range as in a file)."""
    param, problems = _input(name, setting, where)
    if param is None:
        return problems
    key = f"[parameters] {name}"
    if setting.schedule is not None:
        return _check_schedule(param, setting, key, where)
    value = _value(param).check(setting.value)
    out = [Problem(where, f"{key}.value", rule, v) for rule, v in value]
    dist: Any = setting.dist
    if isinstance(dist, Distribution):
        out += _range_problems(param, dist, key, where)
    elif dist is not None:
        out.append(Problem(where, f"{key}.dist", "must be a Distribution or None", dist))
    return out


def _check_schedule(param: Parameter, setting: Setting, key: str, where: str) -> list[Problem]:
    """Check a scheduled :class:`Setting` given in code as its file entry would be."""
    schedule: Any = setting.schedule
    if not (isinstance(schedule, tuple) and schedule
            and all(isinstance(e, tuple) and len(e) == 2 for e in schedule)):
        return [Problem(where, f"{key}.schedule",
                        "must be a non-empty tuple of (year, value) pairs", schedule)]
    spec: dict[str, Any] = {"by_year": dict(schedule)}
    if len(spec["by_year"]) != len(schedule) or list(schedule) != sorted(schedule):
        return [Problem(where, f"{key}.schedule", "must list distinct years in order", schedule)]
    parsed, out = parse_schedule(param, spec, key, where, _dollar_year(param))
    dist: Any = setting.dist
    if dist is not None and not isinstance(dist, Distribution):
        out.append(Problem(where, f"{key}.dist", "must be a Distribution or None", dist))
    elif parsed is not None:
        out += multiplier_problems(param, parsed[0], dist, key, where)
    return out


def parse_settings(
    entries: Mapping[Any, tuple[Any, str]],
) -> tuple[dict[str, Setting], list[Problem]]:
    """Parse ``[parameters]`` entries, ``name -> (spec, file it is written in)``.

    A :class:`Setting` (given in code) is checked as is; anything else is parsed
    as a file's entry. Returns the valid settings and every problem.
    """
    settings: dict[str, Setting] = {}
    problems: list[Problem] = []
    for name, (spec, where) in entries.items():
        if isinstance(spec, Setting):
            found = check_setting(name, spec, where)
            setting = None if found else spec
        else:
            setting, found = parse_setting(name, spec, where)
        problems += found
        if setting is not None:
            settings[name] = setting
    return settings, problems
