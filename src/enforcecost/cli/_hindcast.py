"""``enforcecost hindcast``: a scenario of past years against what ICE and EOIR published."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from ..hindcasting import hindcast
from ..scenario import MAX_DRAWS
from ._atomic import atomic_directory
from ._console import PROG, err, option_problem, out, report_invalid, report_options
from ._inputs import load_all
from ._outdir import MARKER, check_out, leftover, out_failure, write_csv
from ._parser import add_command

__all__ = ["DEFAULT", "DEFAULTS", "add_parser", "hindcast_command"]

#: The shipped hindcasts: EO 13768 as implemented, FY2017-FY2019, and its 2025 revival
#: (EO 14159 with the 2025-2026 appropriations), FY2025-FY2026.
DEFAULTS = ("hindcast/eo13768_as_implemented", "hindcast/revival_as_implemented")
DEFAULT = DEFAULTS[0]

_EPILOG = """\
Runs the scenario's policy side on the draws 'enforcecost run' uses and prints,
for each published series and fiscal year, the published value, the model's
mean and 90% band, the error (mean / published - 1) and the target: arrests
within 15%, interior removals and detention within 20%, court cases pending
within 25% and rising. Writes hindcast.csv, hindcast.png and hindcast.svg to
--out (with several scenarios: hindcast.csv with a scenario column, and a chart
per scenario, hindcast_<name>.png/.svg). Without a scenario, runs both shipped
hindcasts: EO 13768 in FY2017-FY2019 and its 2025 revival in FY2025-FY2026.
Behavioural parameters come from data before each order (FY2012-FY2016; for the
revival FY2022-FY2024); the published outcomes are compared with, never fitted.
Stand-ins (a count to a date, a pace over part of a year) are marked ~.
Exit 0 whether targets are met or missed (the table says which), 2 for a bad
scenario or option.

examples:
  enforcecost hindcast                                 both shipped hindcasts
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
    cmd.add_argument("paths", nargs="*", metavar="SCENARIO",
                     help="scenario files or shipped names (default: "
                     + " and ".join(DEFAULTS) + ")")
    cmd.add_argument("--out", type=Path, default=Path("out/hindcast"), metavar="DIR",
                     help="where the table and the chart go (default: out/hindcast)")
    cmd.add_argument("--draws", type=int, metavar="N",
                     help="Monte Carlo draws (default: the scenario's [run] draws)")
    cmd.add_argument("--seed", type=int, metavar="S",
                     help="random seed (default: the scenario's [run] seed)")
    cmd.set_defaults(func=hindcast_command)


def hindcast_command(args: argparse.Namespace) -> int:
    """``enforcecost hindcast``: the exit code (0 done, 1 output failed, 2 bad input)."""
    paths = list(args.paths) or list(DEFAULTS)
    loaded, problems, invalid = load_all(paths)
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
    results = []
    for i, (_, sc) in enumerate(loaded):
        h = hindcast(sc, draws=args.draws, seed=args.seed)
        out(("\n" if i else "") + h.to_text())
        results.append(h)
    single = len(results) == 1
    try:
        with atomic_directory(args.out, on_leftover=leftover) as tmp:
            table = (results[0].table if single else pd.concat(
                [h.table.assign(scenario=h.scenario.name) for h in results],
                ignore_index=True))
            write_csv(table, tmp / "hindcast.csv")
            for path, h in zip(paths, results, strict=True):
                stem = "hindcast" if single else f"hindcast_{Path(path).stem}"
                fig = h.plot()
                for suffix in ("png", "svg"):
                    fig.savefig(tmp / f"{stem}.{suffix}")
            (tmp / MARKER).write_text("".join(
                f"{PROG} hindcast {path}: {h.scenario.name}\n"
                f"draws {h.draws}, seed {h.seed}, sampler {h.sampler}\n"
                for path, h in zip(paths, results, strict=True)), encoding="utf-8")
    except OSError as exc:
        return out_failure(args.out, exc, args.debug)
    charts = ("hindcast.png and hindcast.svg" if single
              else "a chart per scenario (hindcast_<name>.png, .svg)")
    err(f"{PROG}: wrote hindcast.csv and {charts} to {args.out}")
    return 0
