"""Historical series shipped as data: inputs to the model's years, and actuals to compare with.

Files (``data/series/``):

* ``inputs.csv`` (role ``input``): what the world gave the order, year by year:
  immigration judges on board, funded detention beds, ERO deportation officers,
  287(g) agreements, border-origin inflows (USBP apprehensions, OFO encounters).
* ``actuals.csv`` (role ``actual``): what ICE and EOIR published as outcomes
  (arrests, removals, detention, court workload, appropriations). **Comparison
  only.** Published outcomes are used to check the model, never to fit it:
  nothing under ``model/``, ``provisions/``, ``scenario/``, ``sampling/`` or the
  rest of ``registry/`` reads this module or the files, and
  ``data/parameters.toml`` cites none of it (``tests/test_series.py`` scans for
  it); :func:`series` refuses to hand actual rows to a caller in those packages.
* ``series.toml``: what each series means, its unit, role and vintage (one
  vintage per series; an alternative vintage or a dated point-in-time count has
  its own name).

The two roles live in two files so that the boundary is a file name a test can
look for, and so that either file opens in a spreadsheet as it is (no comment
lines: the policy notes are in ``series.toml``).

Every row has a source, a verbatim quote and a URL, and its value occurs in the
quote, with or without thousands separators; where the figure is printed in
another form (``$6.9 billion``, ``63 percent``, a table in $ thousands) the row
gives that text as ``quoted_as`` and the multiplier as ``scale``.
"""

from __future__ import annotations

import csv
import math
import re
import sys
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from ..errors import Problem, ProblemsError, suggest

__all__ = [
    "COLUMNS",
    "FILES",
    "QUALITIES",
    "ROLES",
    "SeriesError",
    "load_series",
    "occurs_in",
    "series",
    "series_info",
]

#: The roles of a series, and the file each role's rows live in.
ROLES = ("input", "actual")
FILES = {"input": "inputs.csv", "actual": "actuals.csv"}
META = "series.toml"
WHERE = "data/series"
#: How far a row's source may be trusted: read on an official page; a reliable
#: secondary source quoting an official figure; shown but not to be leaned on.
QUALITIES = ("official", "secondary", "weak")
#: The columns of each CSV file, in order.
CSV_COLUMNS = ("series", "fiscal_year", "value", "unit", "quality", "source", "quote", "url",
               "quoted_as", "scale", "note")
#: The columns of :func:`series`'s frame, in order.
COLUMNS = ("series", "fiscal_year", "value", "unit", "source", "quote", "url", "quality",
           "role", "note", "quoted_as", "scale")
#: Fiscal years a row may have: the records begin long after 1990; 2030 is past any
#: published figure.
FIRST_YEAR, LAST_YEAR = 1990, 2030
_META_KEYS = ("role", "unit", "meaning", "vintage")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_URL = re.compile(r"https?://\S+")
#: Packages whose code may never receive actual rows (the model and what feeds it).
_NO_ACTUALS = ("model", "provisions", "registry", "scenario", "sampling", "backends")


class SeriesError(ProblemsError):
    """The shipped historical series are invalid; ``problems`` lists every problem found.

    Each problem's ``file`` is the CSV or TOML file and its ``key`` the line and column.

    Examples
    --------
    >>> print(SeriesError([Problem("data/series/inputs.csv", "line 2 value", "must be >= 0", -1)]))
    invalid historical series:
      data/series/inputs.csv: line 2 value: must be >= 0, got -1
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "invalid historical series:")


def _number_forms(value: float) -> list[str]:
    """How ``value`` may be printed in a quote: ``1087201`` and ``1,087,201``; ``0.63``."""
    if value == int(value):
        n = int(value)
        return sorted({str(n), f"{n:,}"})
    return [format(value, "g")]


def occurs_in(value: float, quote: str) -> bool:
    """Whether ``value`` is printed in ``quote`` as a whole number, separators or not.

    A form must not touch other digits: ``256`` is not in ``2,560``, ``87,201``
    is not in ``1,087,201``.

    Parameters
    ----------
    value : float
        The row's value.
    quote : str
        The row's quote.

    Returns
    -------
    bool
        True when ``value`` (``1087201`` or ``1,087,201``; ``0.63``) occurs.

    Examples
    --------
    >>> occurs_in(1087201, "2019 1,087,201 546,248")
    True
    >>> occurs_in(256, "it grew to 2,560")
    False
    """
    return any(
        re.search(rf"(?<![\d.,]){re.escape(form)}(?!\d|[.,]\d)", quote)
        for form in _number_forms(value)
    )


def _quoted_number(text: str) -> float | None:
    digits = re.sub(r"[^\d.]", "", text)
    try:
        return float(digits)
    except ValueError:
        return None


def _check_meta(meta: Mapping[str, Any], file: str) -> tuple[dict[str, dict[str, str]],
                                                                list[Problem]]:
    problems: list[Problem] = []
    table = meta.get("series")
    if not isinstance(table, dict) or set(meta) != {"series"}:
        return {}, [Problem(file, "", "must hold only [series.NAME] tables", sorted(meta))]
    out: dict[str, dict[str, str]] = {}
    for name, entry in table.items():
        key = f"[series.{name}]"
        if not _NAME.fullmatch(name):
            problems.append(Problem(file, key, "name must be lower_snake_case", name))
        if not isinstance(entry, dict):
            problems.append(Problem(file, key, "must be a table", entry))
            continue
        extra = sorted(set(entry) - set(_META_KEYS))
        if extra:
            problems.append(Problem(file, key, f"unknown keys (allowed: {', '.join(_META_KEYS)})",
                                    extra))
        bad = False
        for k in _META_KEYS:
            v = entry.get(k)
            if not isinstance(v, str) or not v.strip():
                problems.append(Problem(file, f"{key} {k}", "must be a non-empty string", v))
                bad = True
        if not bad and entry["role"] not in ROLES:
            problems.append(Problem(file, f"{key} role", f"must be one of {', '.join(ROLES)}",
                                    entry["role"]))
            bad = True
        if not bad:
            out[name] = {k: str(entry[k]) for k in _META_KEYS}
    return out, problems


def _check_row(row: dict[str, str], key: str, role: str, meta: Mapping[str, Mapping[str, str]],
               file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(col: str, rule: str, value: Any = ...) -> None:
        problems.append(Problem(file, f"{key} {col}", rule, value))

    name = row["series"]
    info = meta.get(name)
    if info is None:
        bad("series", f"not described in {WHERE}/{META}{suggest(name, meta)}", name)
    elif info["role"] != role:
        bad("series", f"is an {info['role']} series in {META}: its rows belong in "
                      f"{FILES[info['role']]}", name)
    fy = row["fiscal_year"]
    year = int(fy) if re.fullmatch(r"\d{4}", fy) else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        bad("fiscal_year", f"must be a year in {FIRST_YEAR}..{LAST_YEAR}", fy)
    try:
        value = float(row["value"])
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        bad("value", "must be a finite number >= 0", row["value"])
    elif row["unit"] == "share" and value > 1:
        bad("value", "a share must be <= 1", row["value"])
    if info is not None and row["unit"] != info["unit"]:
        bad("unit", f"must be the series' unit in {META}, {info['unit']!r}", row["unit"])
    if row["quality"] not in QUALITIES:
        bad("quality", f"must be one of {', '.join(QUALITIES)}", row["quality"])
    for col in ("source", "quote"):
        if not row[col].strip():
            bad(col, "must not be empty (every row is sourced)", row[col])
    if not _URL.fullmatch(row["url"]):
        bad("url", "must be an http(s) URL", row["url"])
    quote, quoted_as = row["quote"], row["quoted_as"]
    scale = 1.0
    if row["scale"]:
        try:
            scale = float(row["scale"])
        except ValueError:
            scale = math.nan
        if not (math.isfinite(scale) and scale > 0) or not quoted_as:
            bad("scale", "must be a number > 0, and only with quoted_as", row["scale"])
    if math.isfinite(value) and quote:
        if not quoted_as:
            if not occurs_in(value, quote):
                bad("value", "must occur in its quote (with or without thousands separators), "
                             "or the row must give quoted_as and scale", row["value"])
        elif quoted_as not in quote:
            bad("quoted_as", "must occur verbatim in the quote", quoted_as)
        else:
            printed = _quoted_number(quoted_as)
            if printed is None or not math.isclose(printed * scale, value, rel_tol=1e-9):
                bad("value", f"must be the number in quoted_as ({quoted_as!r}) x scale "
                             f"({row['scale'] or 1})", row["value"])
    if problems or year is None:
        return None, problems
    return {
        "series": name, "fiscal_year": year, "value": value, "unit": row["unit"],
        "source": row["source"], "quote": quote, "url": row["url"],
        "quality": row["quality"], "role": role, "note": row["note"],
        "quoted_as": quoted_as, "scale": scale,
    }, problems


def load_series(texts: Mapping[str, str], meta_text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and check the historical series.

    Parameters
    ----------
    texts : mapping of str to str
        The CSV text of each role (``"input"``, ``"actual"``).
    meta_text : str
        The TOML text describing each series (``series.toml``).

    Returns
    -------
    rows : DataFrame
        One row per series and fiscal year, columns :data:`COLUMNS`.
    info : DataFrame
        Indexed by series name: role, unit, meaning, vintage.

    Raises
    ------
    SeriesError
        Listing every problem found, each naming its file, line, column, rule and value.
    """
    meta_file = f"{WHERE}/{META}"
    try:
        meta_raw = tomllib.loads(meta_text)
    except tomllib.TOMLDecodeError as exc:
        raise SeriesError([Problem(meta_file, "", f"invalid TOML: {exc}")]) from None
    meta, problems = _check_meta(meta_raw, meta_file)
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], str] = {}
    for role in ROLES:
        file = f"{WHERE}/{FILES[role]}"
        reader = csv.DictReader(texts.get(role, "").splitlines())
        header = tuple(reader.fieldnames or ())
        if header != CSV_COLUMNS:
            problems.append(Problem(file, "header", f"must be {','.join(CSV_COLUMNS)}",
                                    ",".join(header)))
            continue
        for line, row in enumerate(reader, start=2):
            key = f"line {line}"
            if None in row or any(v is None for v in row.values()):
                problems.append(Problem(file, key, f"must have {len(CSV_COLUMNS)} fields"))
                continue
            record, found = _check_row(row, key, role, meta, file)
            problems += found
            if record is None:
                continue
            ident = (record["series"], record["fiscal_year"])
            if ident in seen:
                problems.append(Problem(file, f"{key} series, fiscal_year",
                                        f"duplicates {seen[ident]}", ident))
            else:
                seen[ident] = f"{FILES[role]} {key}"
                records.append(record)
    used = {name for name, _ in seen}
    problems += [Problem(meta_file, f"[series.{name}]", "has no rows") for name in meta
                 if name not in used]
    if problems:
        raise SeriesError(problems)
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame["role"] = pd.Categorical(frame["role"], categories=list(ROLES))
    frame = frame.sort_values(["role", "series", "fiscal_year"], kind="stable")
    frame["role"] = frame["role"].astype(str)
    frame = frame.astype({"fiscal_year": "int64", "value": "float64", "scale": "float64"})
    info = pd.DataFrame.from_dict(meta, orient="index", columns=list(_META_KEYS))
    info.index.name = "series"
    return frame.reset_index(drop=True), info


@cache
def _shipped() -> tuple[pd.DataFrame, pd.DataFrame]:
    root = resources.files("enforcecost").joinpath(WHERE)
    texts = {role: root.joinpath(name).read_text("utf-8") for role, name in FILES.items()}
    return load_series(texts, root.joinpath(META).read_text("utf-8"))


def _refuse_actuals_to(module: str) -> None:
    parts = module.split(".")
    if (len(parts) > 1 and parts[0] == "enforcecost" and parts[1] in _NO_ACTUALS
            and module != __name__):
        raise PermissionError(
            f"{module} asked for actual rows of the historical series: published outcomes "
            "are comparison only and never feed the model (pass role='input')"
        )


def series(role: str | None = None, name: str | None = None) -> pd.DataFrame:
    """The historical series shipped with the package, one row per series and fiscal year.

    Parameters
    ----------
    role : {"input", "actual"}, optional
        Only inputs (judges, detention beds, officers, 287(g) agreements,
        border-origin inflows) or only actuals (published outcomes: arrests,
        removals, detention, court workload, appropriations). Default: both.
        Actual rows are **comparison only**: the model never reads them, and a
        caller inside the model's packages asking for them gets a
        :class:`PermissionError`.
    name : str, optional
        Only this series (see :func:`series_info` for the names).

    Returns
    -------
    DataFrame
        Columns ``series, fiscal_year, value, unit, source, quote, url,
        quality, role, note, quoted_as, scale``, sorted by role, series and
        fiscal year. ``quality`` is ``official``, ``secondary`` or ``weak``;
        ``note`` says what the source says the figure is; ``quoted_as`` and
        ``scale`` are set where the quote prints the value in another form.

    Raises
    ------
    ValueError
        An unknown role or name, or a name of the other role.

    Examples
    --------
    >>> beds = series(name="detention_beds_funded")
    >>> beds.set_index("fiscal_year").loc[2017, "value"]
    np.float64(39324.0)
    >>> sorted(series(role="actual")["role"].unique())
    ['actual']
    """
    if role is not None and role not in ROLES:
        raise ValueError(f"'role' must be one of {', '.join(ROLES)}: {role!r}")
    frame, info = _shipped()
    if name is not None:
        if name not in info.index:
            raise ValueError(
                f"'name' must be a shipped series: {name!r}{suggest(name, info.index)}"
            )
        own = str(info.loc[name, "role"])
        if role is not None and own != role:
            raise ValueError(f"'name' {name!r} is an {own} series, not {role}")
        frame = frame[frame["series"] == name]
    elif role is not None:
        frame = frame[frame["role"] == role]
    if (frame["role"] == "actual").any():
        _refuse_actuals_to(str(sys._getframe(1).f_globals.get("__name__", "")))
    return frame.reset_index(drop=True).copy()


def series_info() -> pd.DataFrame:
    """What each historical series means.

    Returns
    -------
    DataFrame
        Indexed by series name: ``role`` (input or actual), ``unit``,
        ``meaning`` and ``vintage`` (which release or definition the series
        keeps to).

    Examples
    --------
    >>> series_info().loc["eoir_pending_end_fy", "role"]
    'actual'
    """
    return _shipped()[1].copy()
