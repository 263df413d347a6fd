"""The parameter registry as a text table of a given width (``enforcecost params``)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = ["ELLIPSIS", "fmt_value", "render_registry", "short_citation"]


#: What marks a cut: a single ellipsis character.
ELLIPSIS = "\u2026"
#: Clause and sentence ends a citation may be cut after (followed by a space).
_STOPS = ".;:,"


def _boundaries(text: str) -> list[int]:
    """Where ``text`` may be cut at a sentence or clause end: the index of each ``.``,
    ``;``, ``:`` or ``,`` followed by a space, outside parentheses and brackets (a colon
    not after a one-word label: ``Central:`` is no place to stop). A period ends a
    sentence only after a lowercase letter, a digit or a closing bracket (not in
    ``U.S.`` or ``E. Katz``)."""
    cuts: list[int] = []
    depth = 0
    start = 0  # where the current clause began
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif (ch in _STOPS and depth == 0 and text[i + 1 : i + 2] == " "
              and (ch != "." or (i > 0 and (text[i - 1].islower() or text[i - 1].isdigit()
                                             or text[i - 1] in ")]")))):
            if ch != ":" or len(text[start:i].split()) >= 2:  # not after a label
                cuts.append(i)
            start = i + 1
    return cuts


def _open(text: str) -> bool:
    """Whether ``text`` ends inside a parenthesis or bracket."""
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
    return depth > 0


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut at its last sentence or clause end
    that fits (else its last word that does), with an ellipsis."""
    if len(text) <= width:
        return text
    room = max(width - len(ELLIPSIS), 1)
    stops = [i for i in _boundaries(text) if i <= room]
    if stops:
        end = stops[-1]
    else:
        space = text.rfind(" ", 0, room + 1)
        end = space if space > 0 else room  # one word longer than the room: cut it
    return text[:end].rstrip(" .;:,") + ELLIPSIS


def short_citation(citation: str, width: int | None = None) -> str:
    """The source named at the start of a citation, without its quotation.

    The text before the first quotation mark. When that text ends inside a
    clause (the quotation continues it: ``Table 35: apprehensions FY2016
    "415,816"``), it is cut back to its last sentence or clause end outside
    parentheses, and an ellipsis marks the cut; never inside a word.

    Parameters
    ----------
    citation : str
        A registry citation (source, then quotations).
    width : int, optional
        At most this many characters: a longer source is cut at its last
        sentence or clause end that fits (else its last whole word that
        does), with an ellipsis.

    Returns
    -------
    str

    Examples
    --------
    >>> short_citation('EO 13768 summary (seed): "Hires 10,000 additional officers"')
    'EO 13768 summary (seed)'
    >>> short_citation('DHS OHSS, Yearbook 2021, Table 35: apprehensions FY2016 "415,816"')
    'DHS OHSS, Yearbook 2021, Table 35\u2026'
    >>> short_citation("none found: assumption; the range spans 60% to 95% honored.", 40)
    'none found: assumption\u2026'
    """
    head, quote, _ = citation.partition('"')
    source = head.rstrip()
    # the quotation continues a clause, or sits inside a parenthesis left open
    if quote and source and (source[-1] not in ":;,(" or _open(source)):
        stops = _boundaries(source)
        source = (source[: stops[-1]] if stops else source).rstrip(" .;:,") + ELLIPSIS
    source = source.rstrip(" :,;(") or citation
    return source if width is None else _cut(source, width)


_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def fmt_value(v: float, compact_from: float = 1e6) -> str:
    """A registry number for a narrow column: ``10,000``, ``0.96``, ``11M``, ``244.7B``."""
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if abs(v) >= compact_from:
        for size, suffix in _SUFFIXES:
            if abs(v) >= size:
                return f"{v / size:.4g}{suffix}"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.6g}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."


_MIN_CITATION = 20
#: Lines a parameter's continuation may take (the rest is cut with ``...``).
_MAX_MORE = 3
#: The columns of a row in the order they claim room on its first line (``name`` always),
#: and how each reads on a continuation line when it does not fit there.
_COLUMNS = ("name", "value", "unit", "dollar year", "kind", "range", "provision", "citation")
_GROUPS = ("provision", "source_kind", None)


def _value_cell(value: float, by_year: str) -> str:
    """The value, or a schedule's lowest and highest year times its multiplier.

    Examples
    --------
    >>> _value_cell(1.0, "2017: 25; 2018: 41; 2021: 115")
    '25-115'
    >>> _value_cell(10_000.0, "")
    '10,000'
    """
    if not by_year:
        return fmt_value(value)
    years = [value * float(part.split(":")[1]) for part in by_year.split(";")]
    return f"{fmt_value(min(years))}-{fmt_value(max(years))}"


def _more_words(column: str, cell: str) -> str:
    """A cell as it reads on a continuation line: ``2020 dollars``, ``range 1 to 2``."""
    if not cell:
        return ""
    if column == "dollar year":
        return "nominal dollars" if cell == "nominal" else f"{cell} dollars"
    if column in ("range", "provision"):
        return f"{column} {cell}"
    return cell


def _cells(name: str, r: pd.Series) -> dict[str, str]:
    lo, hi = float(r["low"]), float(r["high"])
    return {
        "name": name,
        "value": _value_cell(float(r["value"]), str(r.get("by_year", "") or "")),
        "unit": str(r["unit"]),
        "dollar year": str(r["dollar_year"]),
        "kind": str(r["source_kind"]) + ("*" if r["role"] == "reference" else ""),
        "range": "" if math.isnan(lo) else f"{fmt_value(lo, 1e4)} to {fmt_value(hi, 1e4)}",
        "provision": str(r["provision"]),
        "citation": short_citation(str(r["citation"])),
    }


def _layout(columns: Sequence[str], widths: Mapping[str, int], width: int,
            ) -> tuple[list[str], list[str]]:
    """The columns on the first line (in :data:`_COLUMNS` order, up to the first that
    does not fit) and those moved to continuation lines."""
    first: list[str] = []
    used = -2
    for col in columns:
        need = _MIN_CITATION if col == "citation" else widths[col]  # it takes what is left
        if col != "name" and used + 2 + need > width:
            break  # the rest follow on continuation lines, in order
        first.append(col)
        used += 2 + widths[col]
    return first, [c for c in columns if c not in first]


def render_registry(frame: pd.DataFrame, width: int = 100, *,
                    group: str | None = "provision") -> str:
    """The parameter registry as a text table no wider than ``width``.

    Parameters
    ----------
    frame : DataFrame
        :func:`enforcecost.parameters` or rows of it (indexed by name), in the
        order to show (rows of a group together).
    width : int
        Maximum line length (the terminal width). The columns name, value,
        unit, dollar year, kind, range (and provision when the rows are not
        grouped by it) take the first line of a row while they fit, in that
        order, and the citation takes what is left when 20 characters or
        more are; the columns that do not fit follow on the row's
        continuation lines, indented, ``;``-separated and wrapped (at most
        three lines, then cut with ``...``). Nothing is lost at any width:
        at 80 columns a row is its name and value, then ``officers/yr;
        derived; range 742 to 3,400; <citation>`` (the longest names and
        units leave no room for the unit on the first line).
    group : {'provision', 'source_kind', None}
        A heading line ``[value]`` before each run of rows with the same
        value of this column (None: no headings). The column grouped by is
        not repeated in the rows.

    Returns
    -------
    str
        The header (and the names of the continuation fields), a rule, then
        per group its heading and per parameter its line(s): name, value,
        unit, dollar year, source kind (``*``: a reference figure, not a
        model input), range of the default uncertainty (empty when fixed) and
        short citation. A value scheduled by fiscal year shows its lowest and
        highest year (``25-115``); ``--csv`` gives the schedule (``by_year``).
        Large numbers are abbreviated (``11M``, ``244.7B``);
        ``--csv`` gives them in full.

    Raises
    ------
    ValueError
        If ``group`` is not one of provision, source_kind or None.
    """
    if group not in _GROUPS:
        raise ValueError(f"'group' must be one of provision, source_kind or None: {group!r}")
    hidden = {"provision": "provision", "source_kind": "kind", None: ""}[group]
    columns = [c for c in _COLUMNS if c != hidden]
    rows = [(str(r[group]) if group else "", _cells(str(name), r))
            for name, r in frame.iterrows()]
    widths = {c: max([len(c), *(len(cells[c]) for _, cells in rows)]) for c in columns}
    first, more = _layout(columns, widths, width)
    if "citation" in first:  # the citation takes what is left of the line (if it needs it)
        room = width - sum(widths[c] + 2 for c in first[:-1])
        widths["citation"] = min(widths["citation"], room)

    def line(cells: Mapping[str, str]) -> str:
        parts = [cells[c].rjust(widths[c]) if c == "value" else
                 _cut(cells[c], widths[c]).ljust(widths[c]) if c == "citation" else
                 _clip(cells[c], widths[c]).ljust(widths[c]) for c in first]
        return _clip("  ".join(parts).rstrip(), width)

    def continuation(cells: Mapping[str, str]) -> list[str]:
        text = "; ".join(w for c in more if (w := _more_words(c, cells[c])))
        wrapped = textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="  ")
        if len(wrapped) > _MAX_MORE:
            wrapped = [*wrapped[: _MAX_MORE - 1], _clip(wrapped[_MAX_MORE - 1] + " ...", width)]
            wrapped[-1] = _clip(wrapped[-1].removesuffix(" ...") + "...", width)
        return wrapped

    head = [line({c: c for c in columns})]
    if more:
        head.append(_clip("  " + "; ".join(more), width))
    out = [*head, _clip("-" * (sum(widths[c] for c in first) + 2 * (len(first) - 1)), width)]
    current = None
    for key, cells in rows:
        if group and key != current:
            out.append(f"[{key}]")
            current = key
        out.append(line(cells))
        out += continuation(cells)
    if any(cells["kind"].endswith("*") for _, cells in rows):
        out += ["", _clip("* reference figure: context and cross-checks, not a model input", width)]
    return "\n".join(out)
