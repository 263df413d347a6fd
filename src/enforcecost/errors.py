"""Errors raised for a user's mistakes, carrying every problem found at once.

One :class:`Problem` describes every mistake the package reports, in a scenario
file, a scenario built in code or the parameter registry: the file, the key,
the rule broken and the offending value. A check that does not know which
file it reads (a distribution specification, say) returns its problems as
:class:`Finding` tuples, ``(key, rule, value)``, which the caller places in its
file with :meth:`Finding.at`. Both print ``key: rule, got value``; a
:class:`Problem` shortens a long value, a :class:`Finding` shows it in full.

The checks shared by every reader of user values live here too:
:func:`is_number`, :func:`as_float` and :func:`suggest`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Finding",
    "Problem",
    "ProblemsError",
    "RegistryError",
    "ScenarioError",
    "as_float",
    "is_number",
    "suggest",
]


_SHOW_MAX = 200  # characters of a value's repr shown in a message


def _show(value: Any, longest: int | None = _SHOW_MAX) -> str:
    """``repr(value)``, shortened past ``longest`` characters (and safe for huge integers)."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond sys.get_int_max_str_digits()
        if isinstance(value, int):
            return f"<an integer of {value.bit_length()} bits>"
        return f"<a {type(value).__name__} that cannot be shown>"
    if longest is not None and len(text) > longest:
        half = longest // 2
        text = f"{text[:half]}...{text[-half:]} ({len(text)} characters)"
    return text


def _got(value: Any, longest: int | None) -> str:
    """``", got <value>"``, or nothing when there is no value to show (``...``)."""
    return "" if value is ... else f", got {_show(value, longest)}"


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario: where it is, the rule broken and the value found.

    Attributes
    ----------
    file : str
        The scenario file (``"<code>"`` for a scenario built in Python), or
        the parameter registry.
    key : str
        Where in the file, e.g. ``"[parameters] bed_day_cost"``.
    rule : str
        The rule, e.g. ``"must be within [0, inf]"``.
    value : Any
        The offending value (``...`` when there is none to show).
    """

    file: str
    key: str
    rule: str
    value: Any = ...

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.rule}{_got(self.value, _SHOW_MAX)}"

    def local(self) -> str:
        """The problem without its file: ``key: rule, got value`` (the value in full)."""
        return str(Finding(self.key, self.rule, self.value))


class Finding(NamedTuple):
    """A problem found before its file is known: ``(key, rule, value)``.

    Examples
    --------
    >>> f = Finding("low", "must be a number", "x")
    >>> str(f)
    "low: must be a number, got 'x'"
    >>> f.at("a.toml", "[parameters] bed_day_cost.")
    Problem(file='a.toml', key='[parameters] bed_day_cost.low', rule='must be a number', value='x')
    """

    key: str
    rule: str
    value: Any = ...

    def __str__(self) -> str:
        where = f"{self.key}: " if self.key else ""
        return f"{where}{self.rule}{_got(self.value, None)}"

    def at(self, file: str, prefix: str = "") -> Problem:
        """The :class:`Problem` in ``file``, its key prefixed with ``prefix``."""
        return Problem(file, prefix + self.key, self.rule, self.value)


class ProblemsError(ValueError):
    """Every problem found in some input, at once; ``problems`` lists them.

    Parameters
    ----------
    problems : list of Problem
        What is wrong.
    head : str
        The message's first line; one line per problem follows, indented.
    full : bool
        Whether a problem's line names its file (else ``key: rule, got value``).
    """

    def __init__(self, problems: Iterable[Problem], head: str, *, full: bool = True) -> None:
        self.problems = list(problems)
        lines = (str(p) if full else p.local() for p in self.problems)
        super().__init__("\n".join([head, *(f"  {line}" for line in lines)]))


class ScenarioError(ProblemsError):
    """A scenario (file or code) is invalid; ``problems`` lists every problem found.

    Examples
    --------
    >>> err = ScenarioError([Problem("a.toml", "[scenario] years", "must be >= 1", 0)])
    >>> print(err)
    1 problem in a.toml:
      a.toml: [scenario] years: must be >= 1, got 0
    """

    def __init__(self, problems: list[Problem]) -> None:
        files = sorted({p.file for p in problems})
        n = len(problems)
        super().__init__(problems, f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}:")


class RegistryError(ProblemsError):
    """The parameter registry is invalid; ``problems`` lists every problem found.

    Each problem's ``file`` is the registry and its ``key`` the parameter.

    Examples
    --------
    >>> print(RegistryError([Problem("parameters.toml", "x", "empty citation")]))
    invalid parameter registry:
      x: empty citation
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "invalid parameter registry:", full=False)


# -- shared checks of user values -------------------------------------------------------------
def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or float, Python's or NumPy's; not a bool.

    (``numpy.bool_`` is neither an integer nor a floating type.)

    Examples
    --------
    >>> is_number(3), is_number(2.5), is_number(True), is_number("3")
    (True, True, False, False)
    """
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def as_float(value: int | float) -> float:
    """``float(value)``; an int beyond the float range is +-inf, as a float literal that big is.

    Examples
    --------
    >>> as_float(3), as_float(-10**400)
    (3.0, -inf)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def suggest(name: str, options: Iterable[str]) -> str:
    """A hint naming the option closest to a misspelt ``name``, or ``""`` when none is close.

    Examples
    --------
    >>> suggest("sead", ["seed", "draws"])
    " (did you mean 'seed'?)"
    >>> suggest("zzz", ["seed"])
    ''
    """
    match = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
