"""Errors raised for a user's mistakes, carrying every problem found at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Problem", "ScenarioError"]


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario: where it is, the rule broken and the value found.

    Attributes
    ----------
    file : str
        The scenario file (``"<code>"`` for a scenario built in Python).
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
        got = "" if self.value is ... else f", got {_show(self.value)}"
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.rule}{got}"


_SHOW_MAX = 200  # characters of a value's repr shown in a message


def _show(value: Any) -> str:
    """``repr(value)``, shortened when long (and safe for integers too long to print)."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond sys.get_int_max_str_digits()
        if isinstance(value, int):
            return f"<an integer of {value.bit_length()} bits>"
        return f"<a {type(value).__name__} that cannot be shown>"
    if len(text) > _SHOW_MAX:
        half = _SHOW_MAX // 2
        text = f"{text[:half]}...{text[-half:]} ({len(text)} characters)"
    return text


class ScenarioError(ValueError):
    """A scenario (file or code) is invalid; ``problems`` lists every problem found.

    Examples
    --------
    >>> err = ScenarioError([Problem("a.toml", "[scenario] years", "must be >= 1", 0)])
    >>> print(err)
    1 problem in a.toml:
      a.toml: [scenario] years: must be >= 1, got 0
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))
