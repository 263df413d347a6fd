"""The rules of a scenario's tables, declared key by key and checked by one loop.

Each table a scenario file has, ``[scenario]``, ``[run]``, an entry of
``[[correlation]]`` and a parameter's setting table in ``[parameters]``, is a
:class:`Table`: a mapping of its keys to a :class:`Key`, whose ``check`` yields
every rule a value breaks. :meth:`Table.check` is the one loop that reads any
of them: it reports the keys the table does not take (suggesting the closest),
then runs each present key's check, in the order the keys are declared. The
same tables check a scenario built in code, whose fields are given to them as
a file's values would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..errors import Problem, as_float, is_number, suggest
from ..provisions import PROVISIONS
from ..registry import check_value, cpi_u, registry

__all__ = [
    "MAX_DRAWS",
    "RUN",
    "SAMPLERS",
    "SCENARIO",
    "YEAR_MAX",
    "Check",
    "Key",
    "Sampler",
    "Table",
    "check_correlations",
    "correlation_draws_needed",
    "correlation_draws_problems",
    "is_int",
]

Sampler = Literal["sobol", "lhs", "random"]
#: The samplers a ``[run]`` may ask for.
SAMPLERS: tuple[Sampler, ...] = ("sobol", "lhs", "random")
#: Most Monte Carlo draws a run may ask for: ``2**30`` (1,073,741,824), the
#: number of distinct points the scrambled Sobol' engine (30 bits) can make;
#: one limit for every sampler, so a file's ``[run] draws`` is valid whichever
#: sampler runs it. (Far beyond any study's need: 10 million draws pin the
#: shipped scenarios' means to a few dollars.)
MAX_DRAWS = 1 << 30
#: Last year a window or a dollar year may name.
YEAR_MAX = 2100
_YEARS_MAX = 100

#: A key's rules: yields ``(rule, offending value)`` for each rule its value breaks.
Check = Callable[[Any], Iterator[tuple[str, Any]]]


@dataclass(frozen=True)
class Key:
    """One key of a table: what it holds and the rules its value must follow.

    Attributes
    ----------
    about : str
        What the key holds.
    check : Check
        Yields ``(rule, value)`` for each rule broken by the key's value.
    required : bool
        Whether an absent key is a problem: it is checked as the value None
        (which TOML cannot write).
    """

    about: str
    check: Check
    required: bool = False


@dataclass(frozen=True)
class Table:
    """The keys a table takes, each with its rules.

    Attributes
    ----------
    keys : mapping of str to Key
        The keys, in the order their rules are checked.
    unknown : str
        The rule broken by a key the table does not take.
    """

    keys: Mapping[str, Key]
    unknown: str = "unknown key"

    def check(self, raw: Mapping[Any, Any], where: str, prefix: str) -> list[Problem]:
        """Every problem with the table ``raw``, read from ``where``.

        Parameters
        ----------
        raw : mapping
            The table as read (or a scenario's fields, built in code).
        where : str
            The file, for :attr:`Problem.file`.
        prefix : str
            What comes before a key's name in :attr:`Problem.key`, e.g. ``"[run] "``.

        Returns
        -------
        list of Problem
            Unknown keys first (sorted), then the broken rules in key order.
        """
        problems = [
            Problem(where, f"{prefix}{key}", self.unknown + suggest(str(key), self.keys), raw[key])
            for key in sorted(raw.keys() - self.keys.keys(), key=str)
        ]
        for key, spec in self.keys.items():
            if key in raw or spec.required:
                problems += [
                    Problem(where, f"{prefix}{key}", rule, value)
                    for rule, value in spec.check(raw.get(key))
                ]
        return problems


def is_int(value: Any) -> bool:
    """Whether ``value`` is a Python int, not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def _must(ok: Callable[[Any], bool], rule: str | Callable[[], str]) -> Check:
    """A check of one rule: ``rule`` (or its text, made when broken) unless ``ok(value)``."""

    def check(value: Any) -> Iterator[tuple[str, Any]]:
        if not ok(value):
            yield (rule if isinstance(rule, str) else rule()), value

    return check


# -- [scenario] ----------------------------------------------------------------------------------
def _name(value: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(value, str):
        yield "must be a string", value
    elif not value.strip():
        yield "must not be empty", value


def _first_year() -> int:
    return cpi_u().first_year


_year = _must(
    lambda v: is_int(v) and _first_year() <= v <= YEAR_MAX,
    lambda: f"must be a whole year from {_first_year()} to {YEAR_MAX}",
)


def _discount_rate(value: Any) -> Iterator[tuple[str, Any]]:
    if not is_number(value):
        yield "must be a number", value
    elif rule := check_value(registry()["discount_rate"], as_float(value)):
        yield rule, value


def _provisions(value: Any) -> Iterator[tuple[str, Any]]:
    if not (isinstance(value, list) and value and all(isinstance(x, str) for x in value)):
        yield "must be a non-empty list of provision names", value
        return
    for x in value:
        if x not in PROVISIONS:
            yield f"unknown provision{suggest(x, PROVISIONS)}; known: {', '.join(PROVISIONS)}", x
    if len(set(value)) != len(value):
        yield "must not repeat a provision", value


_file_name = _must(lambda v: isinstance(v, str), "must be a file name")

#: ``[scenario]``: the window, the provisions costed and the files it builds on.
#: (``extends`` and ``baseline`` are a file's; in code the baseline is a Scenario.)
SCENARIO = Table({
    "name": Key("a short title", _name),
    "description": Key("what the scenario describes",
                       _must(lambda v: isinstance(v, str), "must be a string")),
    "start_year": Key("first fiscal year", _year),
    "dollar_year": Key("constant-dollar base", _year),
    "years": Key("window length in fiscal years",
                 _must(lambda v: is_int(v) and 1 <= v <= _YEARS_MAX,
                       f"must be a whole number from 1 to {_YEARS_MAX}")),
    "discount_rate": Key("real discount rate for 'pv'", _discount_rate),
    "provisions": Key("the provisions to cost", _provisions),
    "extends": Key("a scenario file to inherit from", _file_name),
    "baseline": Key("the scenario the impact is measured against", _file_name),
    "compare_with": Key("a scenario of another era, set beside this one in its report "
                        "(a file relative to this one, or a shipped name; None: none)",
                        _must(lambda v: v is None or isinstance(v, str),
                              "must be a file name")),
    "hindcast": Key("whether the policy side is a past that published outcomes can check "
                    "(enforcecost hindcast; the report adds its section)",
                    _must(lambda v: isinstance(v, bool), "must be true or false")),
})

# -- [run] ---------------------------------------------------------------------------------------
#: ``[run]``: how a Monte Carlo run draws.
RUN = Table({
    "draws": Key("Monte Carlo draws",
                 _must(lambda v: is_int(v) and 1 <= v <= MAX_DRAWS,
                       f"must be a whole number from 1 to {MAX_DRAWS:,} (2**30, the most "
                       "points the Sobol' design can make)")),
    "seed": Key("random seed", _must(lambda v: is_int(v) and v >= 0,
                                     "must be a whole number >= 0")),
    "sampler": Key("the design of the draws",
                   _must(lambda v: v in SAMPLERS, f"must be one of {', '.join(SAMPLERS)}")),
})


# -- [[correlation]] -----------------------------------------------------------------------------
def _correlation(settings: Mapping[str, Any]) -> Table:
    """An entry of ``[[correlation]]``, relating inputs uncertain under ``settings``."""
    reg = registry()

    def inputs(value: Any) -> Iterator[tuple[str, Any]]:
        if not (isinstance(value, list | tuple) and len(value) == 2
                and all(isinstance(x, str) for x in value) and value[0] != value[1]):
            yield "must name two different parameters", value
            return
        for name in value:
            if name not in reg or reg[name].role != "input":
                yield "unknown parameter" + suggest(name, reg), name
            elif (settings[name].dist if name in settings else reg[name].uncertainty) is None:
                yield "is fixed in this scenario: only uncertain inputs can be correlated", name

    rank = _must(lambda v: is_number(v) and -1.0 < as_float(v) < 1.0,
                 "must be a number strictly between -1 and 1")
    return Table({
        "inputs": Key("the two inputs correlated", inputs, required=True),
        "rank": Key("their rank correlation", rank, required=True),
    })


def check_correlations(
    entries: Any, where: str, settings: Mapping[str, Any]
) -> tuple[tuple[tuple[str, str, float], ...], list[Problem]]:
    """Check rank correlations; return them as sorted ``(a, b, rank)`` and the problems.

    Parameters
    ----------
    entries : list
        ``{inputs = [a, b], rank = r}`` tables, or ``(a, b, rank)`` tuples (in code).
    where : str
        The file, for the problems.
    settings : mapping of str to Setting
        The scenario's settings; other inputs take the registry's uncertainty.
    """
    if not isinstance(entries, list | tuple):
        return (), [Problem(where, "[[correlation]]", "must be a list of tables", entries)]
    table = _correlation(settings)
    problems: list[Problem] = []
    out: dict[tuple[str, str], float] = {}
    for i, entry in enumerate(entries):
        key = f"[[correlation]] #{i + 1}"
        if isinstance(entry, tuple) and len(entry) == 3:
            entry = {"inputs": list(entry[:2]), "rank": entry[2]}
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, key, "must be a table {inputs = [a, b], rank = r}",
                                    entry))
            continue
        found = table.check(entry, where, f"{key} ")
        problems += found
        if not found:
            # a later entry for the same pair (say, in a file that extends
            # another) replaces the earlier one
            a, b = sorted(entry["inputs"])
            out[(a, b)] = as_float(entry["rank"])
    if out and not problems and not _positive_definite(out):
        problems.append(Problem(where, "[[correlation]]",
                                "the rank correlations together are not a possible "
                                "correlation matrix (not positive definite)",
                                {f"{a}~{b}": r for (a, b), r in out.items()}))
    return tuple((a, b, r) for (a, b), r in sorted(out.items())), problems


def _positive_definite(pairs: Mapping[tuple[str, str], float]) -> bool:
    names = sorted({n for pair in pairs for n in pair})
    matrix = np.eye(len(names))
    for (a, b), r in pairs.items():
        i, j = names.index(a), names.index(b)
        matrix[i, j] = matrix[j, i] = r
    return bool(np.linalg.eigvalsh(matrix).min() > 0)


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
