"""The historical series as a text table of a given width (``enforcecost series``)."""

from __future__ import annotations

import pandas as pd

__all__ = ["render_series"]

#: Marks a value whose only source is weak (``quality == "weak"``).
WEAK_MARK = "?"
_GAP = 2


def fmt_series_value(value: float, unit: str) -> str:
    """A series value for a narrow column: ``1,087,201``; ``$6.9B``; ``0.63``.

    Examples
    --------
    >>> fmt_series_value(1087201.0, "cases"), fmt_series_value(6.9e9, "USD")
    ('1,087,201', '$6.9B')
    >>> fmt_series_value(5229461000.0, "USD"), fmt_series_value(0.63, "share")
    ('$5.229B', '0.63')
    """
    if unit == "USD":
        return f"${value / 1e9:.4g}B" if value >= 1e8 else f"${value:,.0f}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."


def _line(first: str, rest: list[str], first_width: int, widths: list[int]) -> str:
    parts = [_clip(first, first_width).ljust(first_width)]
    parts += [c.rjust(w) for c, w in zip(rest, widths, strict=True)]
    return (" " * _GAP).join(parts).rstrip()


def _panels(years: list[int], widths: dict[int, int], room: int) -> list[list[int]]:
    """Consecutive runs of ``years`` whose columns fit in ``room`` characters."""
    panels: list[list[int]] = []
    current: list[int] = []
    used = 0
    for y in years:
        need = widths[y] + _GAP
        if current and used + need > room:
            panels.append(current)
            current, used = [], 0
        current.append(y)
        used += need
    if current:
        panels.append(current)
    return panels


def render_series(frame: pd.DataFrame, width: int = 80) -> str:
    """Historical series as a series × fiscal-year table no wider than ``width``.

    Parameters
    ----------
    frame : DataFrame
        :func:`enforcecost.series` or rows of it.
    width : int
        Maximum line length. Fiscal years that do not fit side by side go into
        further panels below, each repeating the series names; a panel lists
        only the series with a value in its years.

    Returns
    -------
    str
        A heading per role and unit (``[input: judges]``), then one line per
        series with its values by fiscal year, thousands separated (dollars in
        billions, ``$6.9B``); a value resting only on a weak source ends in
        ``?``. ``--csv`` gives every value in full with its source and quote.

    Examples
    --------
    >>> rows = pd.DataFrame({"series": ["beds", "beds"], "fiscal_year": [2016, 2017],
    ...                      "value": [34000.0, 39324.0], "unit": ["beds", "beds"],
    ...                      "quality": ["secondary", "weak"], "role": ["input", "input"]})
    >>> print(render_series(rows))
    [input: beds]
    series  FY2016   FY2017
    ------  ------  -------
    beds    34,000  39,324?
    """
    if frame.empty:
        return ""
    cells: dict[tuple[str, int], str] = {}
    for name, year, value, unit, quality in zip(
        frame["series"].astype(str).tolist(), frame["fiscal_year"].astype(int).tolist(),
        frame["value"].astype(float).tolist(), frame["unit"].astype(str).tolist(),
        frame["quality"].astype(str).tolist(), strict=True,
    ):
        mark = WEAK_MARK if quality == "weak" else ""
        cells[(name, year)] = fmt_series_value(value, unit) + mark
    name_w = min(max(len("series"), *(len(str(s)) for s in frame["series"])),
                 max(width // 2, 10))
    out: list[str] = []
    groups = frame.groupby(["role", "unit"], sort=False)
    for (group_role, group_unit), group in groups:
        names = list(dict.fromkeys(str(s) for s in group["series"]))
        years = sorted({int(y) for y in group["fiscal_year"]})
        widths = {y: max(len(f"FY{y}"), *(len(cells[(n, y)]) for n in names
                                            if (n, y) in cells)) for y in years}
        for k, panel in enumerate(_panels(years, widths, width - name_w)):
            shown = [n for n in names if any((n, y) in cells for y in panel)]
            out.append(f"[{group_role}: {group_unit}]" + (" (continued)" if k else ""))
            cols = [widths[y] for y in panel]
            out.append(_line("series", [f"FY{y}" for y in panel], name_w, cols))
            out.append(_line("-" * name_w, ["-" * w for w in cols], name_w, cols))
            out += [_line(n, [cells.get((n, y), "") for y in panel], name_w, cols)
                    for n in shown]
            out.append("")
    return "\n".join(out).rstrip("\n")
