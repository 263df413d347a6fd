"""How the library's objects show in a terminal and a notebook: short money, HTML tables.

Each public result class has a one-line ``__repr__`` (under about 200
characters: what it is, its size and its main number) and a ``_repr_html_``
with the table a reader wants first. The pieces they share live here, so that
:mod:`enforcecost.results`, :mod:`enforcecost.sensitivity` and
:mod:`enforcecost.hindcasting` write money and tables the same way.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

__all__ = ["clip", "html_table", "joined", "money_range", "number", "short_money"]

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def _scale(x: float) -> tuple[float, str]:
    for size, suffix in _SCALES:
        if abs(x) >= size:
            return size, suffix
    return 1.0, ""


def short_money(x: float) -> str:
    """Dollars in a few characters: ``$34.5B``, ``-$512.3M``, ``$870``.

    Examples
    --------
    >>> [short_money(x) for x in (34.46e9, -512.34e6, 870.2, float("nan"))]
    ['$34.5B', '-$512.3M', '$870', 'nan']
    """
    if not math.isfinite(x):
        return str(x)
    size, suffix = _scale(x)
    sign = "-" if x < 0 else ""
    digits = f"{abs(x) / size:,.1f}" if suffix else f"{abs(x):,.0f}"
    return f"{sign}${digits}{suffix}"


def money_range(mean: float, low: float, high: float) -> str:
    """A mean and a range in the unit of the largest of them: ``$34.5B [16.9–50.3]``.

    Examples
    --------
    >>> money_range(34.46e9, 16.94e9, 50.31e9)
    '$34.5B [16.9–50.3]'
    >>> money_range(0.4e9, -0.2e9, 1.3e9)
    '$0.4B [-0.2–1.3]'
    """
    values = (mean, low, high)
    if not all(math.isfinite(v) for v in values):
        return short_money(mean)
    size, suffix = _scale(max(abs(v) for v in values))
    sign = "-" if mean < 0 else ""
    return (f"{sign}${abs(mean) / size:,.1f}{suffix} "
            f"[{low / size:,.1f}\u2013{high / size:,.1f}]")


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending with ``…`` when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"


def html_table(
    frame: pd.DataFrame,
    title: str,
    note: str = "",
    formats: Mapping[str, Callable[[object], str]] | None = None,
    default: Callable[[object], str] | None = None,
) -> str:
    """An HTML block for a notebook: the title, ``frame`` as a ``<table>``, a note.

    Parameters
    ----------
    frame : DataFrame
    title : str
        Shown above the table (escaped).
    note : str
        Shown below it in small type (escaped), e.g. the units.
    formats : mapping of str to callable, optional
        Formatter by column name.
    default : callable, optional
        Formatter of the other columns' numbers.
    """
    formatters: dict[str | int, Callable[[object], str]] = {}
    for col in frame.columns:
        fmt = (formats or {}).get(str(col), default)
        if fmt is not None:
            formatters[col] = fmt
    table = frame.to_html(formatters=formatters, escape=True, border=0,
                          na_rep="")
    parts = [f"<p><strong>{html.escape(title)}</strong></p>", table]
    if note:
        parts.append(f"<p><small>{html.escape(note)}</small></p>")
    return "<div>" + "\n".join(parts) + "</div>"


def number(digits: int = 0) -> Callable[[object], str]:
    """A formatter of numbers with thousands separators and ``digits`` decimals."""

    def fmt(v: object) -> str:
        if isinstance(v, int | float) and not isinstance(v, bool):
            return "" if math.isnan(float(v)) else f"{float(v):,.{digits}f}"
        return str(v)

    return fmt


def joined(parts: Sequence[str]) -> str:
    """The parts of a one-line repr, comma separated."""
    return ", ".join(p for p in parts if p)
