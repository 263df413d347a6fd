"""``enforcecost params``: the cited parameter registry, as a table or CSV."""

from __future__ import annotations

import argparse
import shutil
from typing import Any

from ..provisions import PROVISIONS
from ..registry import parameters
from ..report import render_registry
from ..vocab import SOURCE_KINDS
from ._console import PROG, err, out, write_table_text
from ._parser import add_command

__all__ = ["add_parser", "params"]

_EPILOG = """\
kinds: seed (the order's summary), published (a cited source), derived
(arithmetic on cited figures), assumption (no source found; range stated).

examples:
  enforcecost params
  enforcecost params --kind assumption
  enforcecost params --provision removals
  enforcecost params --csv parameters.csv        every column, for a spreadsheet
  enforcecost params --csv - | head              CSV on standard output

see also: enforcecost series (historical inputs and published outcomes by year)
"""


def add_parser(sub: Any) -> None:
    """Add ``params`` to the subcommands ``sub``."""
    cmd = add_command(
        sub, "params",
        help="list the cited parameter registry",
        description="The parameter registry: value, unit, dollar year, uncertainty range,\n"
        "source kind and citation of every figure the model uses.",
        epilog=_EPILOG,
    )
    cmd.add_argument("--provision", choices=[*PROVISIONS, "money"], metavar="NAME",
                     help=f"only this provision's parameters: {', '.join(PROVISIONS)}, money")
    cmd.add_argument("--kind", choices=SOURCE_KINDS,
                     help="only parameters whose value rests on this kind of source")
    cmd.add_argument("--csv", metavar="FILE",
                     help="write every column as CSV to FILE ('-': standard output)")
    cmd.set_defaults(func=params)


def params(args: argparse.Namespace) -> int:
    """``enforcecost params``: the exit code (1 if the CSV file cannot be written)."""
    frame = parameters()
    if args.provision:
        frame = frame[frame["provision"] == args.provision]
    if args.kind:
        frame = frame[frame["source_kind"] == args.kind]
    if args.csv:
        return write_table_text(frame.to_csv(), args.csv, f"{len(frame)} parameters")
    if frame.empty:
        err(f"{PROG}: no parameters match")
        return 0
    width = shutil.get_terminal_size(fallback=(100, 24)).columns
    out(render_registry(frame, width=width))
    return 0
