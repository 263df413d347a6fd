"""The registry's schema, read from ``data/registry_schema.toml``: the keys a parameter may hold.

The schema is data beside the values: each key says whether it is required, its
type, the values allowed and what it means. :func:`check_keys` checks one
parameter's table against it, key by key, and collects every problem; the rules
that read several keys are named in the schema and implemented in
:mod:`._parameters`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..errors import is_number
from ..provisions import PROVISIONS
from ..vocab import MONEY_GROUP, SOURCE_KINDS
from ._distributions import check_distribution

__all__ = ["KeySpec", "Report", "Schema", "check_keys", "load_schema", "schema"]

#: A key's check: (key, value) -> (the value as stored, problems as (rule, value shown)).
_Check = Callable[[str, Any], tuple[Any, list[tuple[str, Any]]]]
#: Where a check reports a problem: ``report(rule, value)`` (``...``: no value to show).
Report = Callable[[str, Any], None]


def _plain(test: Callable[[Any], bool], rule: str, store: Callable[[Any], Any]) -> _Check:
    """A check of one test, storing the value as ``store(value)`` when it passes."""

    def check(key: str, value: Any) -> tuple[Any, list[tuple[str, Any]]]:
        if test(value):
            return store(value), []
        return None, [(f"{key} {rule}", value)]

    return check


def _interval(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(is_number(v) for v in value)
        and value[0] <= value[1]
    )


def _distribution(key: str, value: Any) -> tuple[Any, list[tuple[str, Any]]]:
    if not isinstance(value, dict):
        return None, [(f"{key} must be a table (a distribution specification)", value)]
    dist, found = check_distribution(value)
    return dist, [(f"{key}.{f.key}: {f.rule}", f.value) for f in found]


def _schedule(key: str, value: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """A table ``{year = number, ...}`` (TOML keys are strings), stored as sorted
    ``(year, value)`` pairs."""
    if not (isinstance(value, dict) and value):
        return None, [(f"{key} must be a non-empty table {{year = value, ...}}", value)]
    found = [(f"{key} lists {k!r}, not a whole year", k) for k in value
             if not (isinstance(k, str) and k.strip().isdigit())]
    found += [(f"{key}.{k} must be a number", v) for k, v in value.items() if not is_number(v)]
    if found:
        return None, found
    return tuple(sorted((int(k), float(v)) for k, v in value.items())), []


#: The schema's types and their checks.
_TYPES: Mapping[str, _Check] = {
    "string": _plain(lambda v: isinstance(v, str), "must be a string", str),
    "number": _plain(is_number, "must be a number", float),
    "boolean": _plain(lambda v: isinstance(v, bool), "must be true or false", bool),
    "interval": _plain(_interval, "must be [low, high]", lambda v: (float(v[0]), float(v[1]))),
    "year_or_nominal": _plain(
        lambda v: v == "nominal" or (isinstance(v, int) and not isinstance(v, bool)),
        "must be a year or 'nominal'",
        lambda v: v,
    ),
    "distribution": _distribution,
    "schedule": _schedule,
}

#: The package's vocabularies a key's ``allowed`` may name.
_VOCABULARIES: Mapping[str, tuple[str, ...]] = {
    "provisions": (*PROVISIONS, MONEY_GROUP),
    "source_kinds": SOURCE_KINDS,
}

_FIELDS = {"required", "type", "allowed", "nonblank", "meaning"}


@dataclass(frozen=True)
class KeySpec:
    """One key of the schema.

    Attributes
    ----------
    name : str
        The key.
    required : bool
        Whether every parameter must give it.
    type : str
        One of ``string``, ``number``, ``boolean``, ``interval``,
        ``year_or_nominal``, ``distribution``, ``schedule``.
    meaning : str
        What it holds.
    allowed : tuple or None
        The values allowed (a named vocabulary resolved), or None for any.
    nonblank : bool
        Whether a string must hold more than blanks.
    """

    name: str
    required: bool
    type: str
    meaning: str
    allowed: tuple[Any, ...] | None = None
    nonblank: bool = False


@dataclass(frozen=True)
class Schema:
    """The keys a parameter may hold, in the order problems are reported, and the rules.

    Attributes
    ----------
    keys : mapping of str to KeySpec
        Every key allowed.
    rules : mapping of str to str
        The checks that read several keys, by name, with what each requires.
    """

    keys: Mapping[str, KeySpec]
    rules: Mapping[str, str]

    @property
    def required(self) -> frozenset[str]:
        """The keys every parameter gives."""
        return frozenset(k for k, spec in self.keys.items() if spec.required)


def _key_spec(name: str, raw: Any) -> KeySpec:
    if not isinstance(raw, dict) or not {"required", "type", "meaning"} <= raw.keys():
        raise ValueError(f"registry schema: keys.{name} needs required, type and meaning")
    if unknown := sorted(raw.keys() - _FIELDS):
        raise ValueError(f"registry schema: keys.{name}: unknown fields {unknown}")
    if raw["type"] not in _TYPES:
        raise ValueError(f"registry schema: keys.{name}: unknown type {raw['type']!r}")
    allowed = raw.get("allowed")
    if isinstance(allowed, str):
        if allowed not in _VOCABULARIES:
            raise ValueError(f"registry schema: keys.{name}: unknown vocabulary {allowed!r}")
        allowed = _VOCABULARIES[allowed]
    return KeySpec(
        name=name,
        required=bool(raw["required"]),
        type=raw["type"],
        meaning=raw["meaning"],
        allowed=None if allowed is None else tuple(allowed),
        nonblank=bool(raw.get("nonblank", False)),
    )


def load_schema(text: str) -> Schema:
    """Parse a schema document (the TOML text of ``registry_schema.toml``).

    Raises
    ------
    ValueError
        When the schema itself is malformed (an unknown type, vocabulary or field).
    """
    data = tomllib.loads(text)
    keys = {name: _key_spec(name, raw) for name, raw in data.get("keys", {}).items()}
    return Schema(keys=keys, rules=dict(data.get("rules", {})))


@cache
def schema() -> Schema:
    """The package's registry schema (read once, then cached)."""
    path = resources.files("enforcecost").joinpath("data/registry_schema.toml")
    return load_schema(path.read_text("utf-8"))


def _choices(allowed: tuple[Any, ...]) -> str:
    shown = [repr(a) for a in allowed]
    if len(shown) <= 2:
        return " or ".join(shown)
    return "one of " + ", ".join(shown[:-1]) + " or " + shown[-1]


def check_keys(
    raw: Mapping[str, Any], spec: Schema, report: Report
) -> tuple[dict[str, Any], set[str]]:
    """Check a parameter's table key by key against the schema.

    Parameters
    ----------
    raw : mapping
        The parameter's table, as read from TOML.
    spec : Schema
        The schema.
    report : callable
        Called as ``report(rule, value)`` for every problem (``value`` is ``...``
        when there is none to show): missing keys, unknown keys, then each key's
        problems in the schema's order.

    Returns
    -------
    values : dict
        The keys that passed, with their values as stored (numbers as float,
        bounds as a tuple, uncertainty as a Distribution).
    failed : set of str
        The keys that are missing (required ones) or did not pass.
    """
    missing = sorted(spec.required - raw.keys())
    for k in missing:
        report(f"missing key {k!r}", ...)
    for k in sorted(raw.keys() - spec.keys.keys()):
        report(f"unknown key {k!r}", ...)
    values: dict[str, Any] = {}
    failed = set(missing)
    for key, ks in spec.keys.items():
        if key not in raw:
            continue
        value, found = _TYPES[ks.type](key, raw[key])
        if not found and ks.allowed is not None and value not in ks.allowed:
            found = [(f"{key} must be {_choices(ks.allowed)}", value)]
        if not found and ks.nonblank and not value.strip():
            found = [(f"{key} must not be blank", value)]
        if found:
            failed.add(key)
            for rule, shown in found:
                report(rule, shown)
        else:
            values[key] = value
    return values, failed
