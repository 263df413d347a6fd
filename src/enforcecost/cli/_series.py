"""``enforcecost series``: the historical series shipped as data, as a table or CSV."""

from __future__ import annotations

import argparse
import shutil
import textwrap
from typing import Any

from ..errors import suggest
from ..registry import ROLES, series, series_info
from ..report import render_series
from ._console import PROG, err, out, write_table_text
from ._parser import add_command

__all__ = ["add_parser", "series_command"]

_EPILOG = """\
roles: input (judges, detention beds, officers, 287(g) agreements, border-origin
inflows), actual (what ICE and EOIR published: comparison only, never fitted).
A value ending in '?' rests only on a weak source; --csv gives every value in
full with its quality, source, quote and URL.

examples:
  enforcecost series
  enforcecost series --role actual
  enforcecost series --name eoir_pending_end_fy
  enforcecost series --csv series.csv          every column, for a spreadsheet
  enforcecost series --csv - | head            CSV on standard output
"""


def add_parser(sub: Any) -> None:
    """Add ``series`` to the subcommands ``sub``."""
    cmd = add_command(
        sub, "series",
        help="list the historical series (inputs and published actuals)",
        description="Historical series shipped as data, by fiscal year: inputs the model's\n"
        "years start from, and the outcomes ICE and EOIR published (comparison only).",
        epilog=_EPILOG,
    )
    cmd.add_argument("--role", choices=ROLES, help="only inputs or only actuals")
    cmd.add_argument("--name", metavar="SERIES",
                     help="only this series, with its meaning, vintage and sources")
    cmd.add_argument("--csv", metavar="FILE",
                     help="write every column as CSV to FILE ('-': standard output)")
    cmd.set_defaults(func=series_command)


def _describe(name: str, frame: Any, width: int) -> str:
    info = series_info().loc[name]
    lines = [textwrap.fill(text, width, subsequent_indent="  ") for text in (
        f"{name} ({info['role']}, {info['unit']}): {info['meaning']}",
        f"vintage: {info['vintage']}")]
    lines.append("")
    for r in frame.itertuples(index=False):
        text = f"FY{r.fiscal_year}  {r.quality:<9}  {r.source}"
        lines.append(text if len(text) <= width else text[: width - 3] + "...")
    return "\n".join(lines)


def series_command(args: argparse.Namespace) -> int:
    """``enforcecost series``: the exit code (2 for an unknown name, 1 if the CSV fails)."""
    info = series_info()
    if args.name is not None and args.name not in info.index:
        err(f"{PROG}: --name: not a shipped series: {args.name!r}"
            f"{suggest(args.name, info.index)} (enforcecost series lists them)")
        return 2
    if args.name is not None and args.role and info.loc[args.name, "role"] != args.role:
        err(f"{PROG}: --name: {args.name!r} is an {info.loc[args.name, 'role']} series, "
            f"not {args.role}")
        return 2
    frame = series(role=args.role, name=args.name)
    if args.csv:
        return write_table_text(frame.to_csv(index=False), args.csv,
                                f"{len(frame)} rows of {frame['series'].nunique()} series")
    width = min(shutil.get_terminal_size(fallback=(80, 24)).columns, 100)
    out(render_series(frame, width=width))
    if args.name is not None:
        out("\n" + _describe(args.name, frame, width))
    out("\n'?': only a weak source. Sources and quotes: --csv FILE. Actuals are comparison"
        "\nonly: the model never reads them.")
    return 0
