"""``enforcecost validate``: check scenario files and list every problem."""

from __future__ import annotations

import argparse
from typing import Any

from ._console import out, report_invalid
from ._inputs import load_all
from ._parser import add_command

__all__ = ["add_parser", "validate"]

_EPILOG = """\
Prints "ok: FILE (NAME)" for each valid file and every problem of every
invalid one (FILE: [table] key: rule, got value). Exit 0 if all are valid, else 2.

examples:
  enforcecost validate my_scenario.toml
  enforcecost validate scenarios/
"""


def add_parser(sub: Any) -> None:
    """Add ``validate`` to the subcommands ``sub``."""
    cmd = add_command(
        sub, "validate",
        help="check scenario files and list every problem",
        description="Check scenario files (with what they extend and their baselines).",
        epilog=_EPILOG,
    )
    cmd.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                     help="scenario files, directories of them, or shipped scenario names")
    cmd.set_defaults(func=validate)


def validate(args: argparse.Namespace) -> int:
    """``enforcecost validate``: the exit code (0 all valid, else 2)."""
    loaded, problems, invalid = load_all(args.paths)
    for entry, sc in loaded:
        out(f"ok: {entry.ref} ({sc.name})")
    if problems:
        report_invalid(problems, invalid, invalid + len(loaded), "see the problems above")
        return 2
    return 0
