"""``enforcecost hindcast``: a scenario of past years against what ICE and EOIR published."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..hindcasting import hindcast
from ..scenario import MAX_DRAWS
from ._atomic import atomic_directory
from ._console import PROG, err, option_problem, out, report_invalid, report_options
from ._inputs import load_all
from ._outdir import MARKER, check_out, leftover, out_failure, write_csv
from ._parser import add_command

__all__ = ["DEFAULT", "add_parser", "hindcast_command"]

#: The shipped hindcast: EO 13768 as implemented, FY2017-FY2019.
DEFAULT = "hindcast/eo13768_as_implemented"

_EPILOG = f"""\
Runs the scenario's policy side on the draws 'enforcecost run' uses and prints,
for each published series and fiscal year, the published value, the model's
mean and 90% band, the error (mean / published - 1) and the target: arrests
within 15%, interior removals and detention within 20%, court cases pending
within 25% and rising. Writes hindcast.csv, hindcast.png and hindcast.svg to
--out. Behavioural parameters come from FY2016-and-earlier data; the published
outcomes are compared with, never fitted. Exit 0 whether targets are met or
missed (the table says which), 2 for a bad scenario or option.

examples:
  enforcecost hindcast                                 {DEFAULT}
  enforcecost hindcast my_past.toml --out out/mine
  enforcecost hindcast --draws 16384 --seed 7
"""


def add_parser(sub: Any) -> None:
    """Add ``hindcast`` to the subcommands ``sub``."""
    cmd = add_command(
        sub, "hindcast",
        help="compare a scenario of past years with ICE's and EOIR's published figures",
        description="Compare a scenario of years already past (hindcast = true) with the\n"
        "outcomes ICE and EOIR published, series by series and year by year.",
        epilog=_EPILOG,
    )
    cmd.add_argument("path", nargs="?", default=DEFAULT, metavar="SCENARIO",
                     help=f"a scenario file or shipped name (default: {DEFAULT})")
    cmd.add_argument("--out", type=Path, default=Path("out/hindcast"), metavar="DIR",
                     help="where the table and the chart go (default: out/hindcast)")
    cmd.add_argument("--draws", type=int, metavar="N",
                     help="Monte Carlo draws (default: the scenario's [run] draws)")
    cmd.add_argument("--seed", type=int, metavar="S",
                     help="random seed (default: the scenario's [run] seed)")
    cmd.set_defaults(func=hindcast_command)


def hindcast_command(args: argparse.Namespace) -> int:
    """``enforcecost hindcast``: the exit code (0 done, 1 output failed, 2 bad input)."""
    loaded, problems, invalid = load_all([args.path])
    option_problems = []
    if args.draws is not None and not 2 <= args.draws <= MAX_DRAWS:
        option_problems.append(option_problem(
            "--draws", f"must be a whole number from 2 to {MAX_DRAWS:,}", args.draws))
    if args.seed is not None and args.seed < 0:
        option_problems.append(option_problem("--seed", "must be a whole number >= 0",
                                              args.seed))
    out_problems = check_out(args.out, [sc for _, sc in loaded])
    if problems or option_problems or out_problems:
        if problems:
            report_invalid(problems, invalid, invalid + len(loaded), "nothing was run")
        report_options([*option_problems, *out_problems])
        return 2
    (_, sc), = loaded
    h = hindcast(sc, draws=args.draws, seed=args.seed)
    out(h.to_text())
    try:
        with atomic_directory(args.out, on_leftover=leftover) as tmp:
            write_csv(h.table, tmp / "hindcast.csv")
            fig = h.plot()
            for suffix in ("png", "svg"):
                fig.savefig(tmp / f"hindcast.{suffix}")
            (tmp / MARKER).write_text(
                f"{PROG} hindcast {args.path}: {h.scenario.name}\n"
                f"draws {h.draws}, seed {h.seed}, sampler {h.sampler}\n", encoding="utf-8")
    except OSError as exc:
        return out_failure(args.out, exc, args.debug)
    err(f"{PROG}: wrote hindcast.csv, hindcast.png and hindcast.svg to {args.out}")
    return 0
