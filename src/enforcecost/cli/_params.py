"""``enforcecost params``: the cited parameter registry, as a table or CSV."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..provisions import PROVISIONS
from ..registry import parameters
from ..report import render_registry
from ..vocab import MONEY_GROUP, SOURCE_KINDS
from ._console import PROG, err, out, write_table_text
from ._parser import add_command

__all__ = ["SORTS", "add_parser", "params", "select_parameters"]

_EPILOG = """\
kinds: seed (the order's summary), published (a cited source), derived
(arithmetic on cited figures), assumption (no source found; range stated).

The table fits the terminal's width: the columns that do not fit on a
parameter's line (at 80 columns: dollar year, kind, range, citation) follow on
the lines below it, indented.

examples:
  enforcecost params
  enforcecost params --kind assumption
  enforcecost params --kind assumption --kind derived --sort name
  enforcecost params --provision removals --provision detainers
  enforcecost params --sort kind                 grouped by source kind
  enforcecost params --csv parameters.csv        every column, for a spreadsheet
  enforcecost params --csv - | head              CSV on standard output

see also: enforcecost series (historical inputs and published outcomes by year)
"""

#: ``--sort``: the order of the rows, and the column whose runs get a heading.
SORTS: dict[str, str | None] = {"provision": "provision", "kind": "source_kind", "name": None}


def add_parser(sub: Any) -> None:
    """Add ``params`` to the subcommands ``sub``."""
    cmd = add_command(
        sub, "params",
        help="list the cited parameter registry",
        description="The parameter registry: value, unit, dollar year, uncertainty range,\n"
        "source kind and citation of every figure the model uses.",
        epilog=_EPILOG,
    )
    cmd.add_argument("--provision", choices=[*PROVISIONS, MONEY_GROUP], metavar="NAME",
                     action="append",
                     help=f"only this provision's parameters (repeat for several): "
                     f"{', '.join(PROVISIONS)}, {MONEY_GROUP}")
    cmd.add_argument("--kind", choices=SOURCE_KINDS, action="append",
                     help="only parameters whose value rests on this kind of source (repeat "
                     "for several)")
    cmd.add_argument("--sort", choices=list(SORTS), default="provision",
                     help="provision (default: by provision, in registry order), kind (by "
                     "source kind, seed to assumption) or name (alphabetical, no headings)")
    cmd.add_argument("--csv", metavar="FILE",
                     help="write every column as CSV to FILE ('-': standard output), in the "
                     "order of --sort")
    cmd.set_defaults(func=params)


def select_parameters(frame: pd.DataFrame, *, provisions: Sequence[str] | None = None,
                      kinds: Sequence[str] | None = None, sort: str = "provision",
                      ) -> pd.DataFrame:
    """The rows of the registry ``frame`` to show, in the order of ``sort``.

    Parameters
    ----------
    frame : DataFrame
        :func:`enforcecost.parameters`.
    provisions, kinds : sequence of str, optional
        Keep the rows of these provisions (or the ``money`` group) and of these
        source kinds (None: all).
    sort : {'provision', 'kind', 'name'}
        ``provision``: the registry's order (by provision); ``kind``: by source
        kind in the order seed, published, derived, assumption, the registry's
        order within each; ``name``: alphabetical.
    """
    if provisions:
        frame = frame[frame["provision"].isin(provisions)]
    if kinds:
        frame = frame[frame["source_kind"].isin(kinds)]
    if sort == "kind":
        rank = frame["source_kind"].map({k: i for i, k in enumerate(SOURCE_KINDS)})
        return frame.iloc[np.argsort(rank.to_numpy(), kind="stable")]
    if sort == "name":
        return frame.sort_index(kind="stable")
    return frame


def terminal_width(fallback: int = 100) -> int:
    """The width to lay the table out in: ``COLUMNS`` when set, else the terminal's.

    Standard output piped to a pager (``enforcecost params | less``) has no width
    of its own, so the terminal is asked through standard error, which usually
    still is one; ``fallback`` when neither is a terminal.
    """
    width = shutil.get_terminal_size(fallback=(0, 0)).columns  # COLUMNS, then stdout
    if width > 0:
        return width
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return fallback


def params(args: argparse.Namespace) -> int:
    """``enforcecost params``: the exit code (1 if the CSV file cannot be written)."""
    frame = select_parameters(parameters(), provisions=args.provision, kinds=args.kind,
                              sort=args.sort)
    if args.csv:
        return write_table_text(frame.to_csv(), args.csv, f"{len(frame)} parameters")
    if frame.empty:
        err(f"{PROG}: no parameters match")
        return 0
    out(render_registry(frame, width=terminal_width(), group=SORTS[args.sort]))
    return 0
