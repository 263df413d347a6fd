"""``enforcecost params``: the cited parameter registry, as a table or CSV; with ``--rank``,
the research agenda of a scenario (its assumptions ranked by their share of the variance)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, ScenarioError
from ..model import evaluate, uncertain_inputs
from ..provisions import PROVISIONS
from ..registry import parameters
from ..report import AGENDA_N, perspectives_with_lines, render_agenda, render_registry
from ..results import PERSPECTIVES
from ..scenario import Scenario, load_scenario
from ..sensitivity import METHODS, agenda_runs, research_agenda
from ..vocab import MONEY_GROUP, SOURCE_KINDS
from ._console import PROG, err, option_problem, out, report_options, stage, write_table_text
from ._parser import add_command, parallel_options, parallel_problems

__all__ = ["SORTS", "add_parser", "params", "select_parameters"]

#: Base points of the ranking's Sobol' design unless ``--n`` says otherwise: the
#: report's, so that the same seed gives the report's headline shares.
RANK_N = AGENDA_N
#: Inputs shown per perspective unless ``--top`` says otherwise.
RANK_TOP = 10
#: Width of the ranking's text (it prints the same on any terminal).
RANK_WIDTH = 80
_R = METHODS["sobol"].options["replicates"]

_EPILOG = f"""\
kinds: seed (the order's summary), published (a cited source), derived
(arithmetic on cited figures), assumption (no source found; range stated).

The table fits the terminal's width: the columns that do not fit on a
parameter's line (at 80 columns: dollar year, kind, range, citation) follow on
the lines below it, indented.

--rank SCENARIO: the research agenda. The scenario's inputs resting on
assumptions (or on the --kind given), ranked per perspective by their Sobol'
total index ST: the share of the variance of the window total they take part
in. S1: the share removed, on average, if the input were known exactly. One
Sobol' design gives every perspective: about n (d + 6) model runs for d
uncertain inputs (80,000 for eo13768 at the default n = {RANK_N:,}, seconds).

examples:
  enforcecost params
  enforcecost params --kind assumption
  enforcecost params --kind assumption --kind derived --sort name
  enforcecost params --provision removals --provision detainers
  enforcecost params --sort kind                 grouped by source kind
  enforcecost params --csv parameters.csv        every column, for a spreadsheet
  enforcecost params --csv - | head              CSV on standard output
  enforcecost params --rank eo13768              the next numbers to source
  enforcecost params --rank eo13768 --perspective federal --top 5
  enforcecost params --rank eo13768 --n 4096 --seed 7 --csv agenda.csv
  enforcecost params --rank eo13768 --kind published   published inputs ranked

see also: enforcecost series (historical inputs and published outcomes by year)
"""

#: The options that only ``--rank`` reads, by attribute.
_RANK_ONLY = ("n", "seed", "perspective", "top", "workers", "scheduler")

#: ``--sort``: the order of the rows, and the column whose runs get a heading.
SORTS: dict[str, str | None] = {"provision": "provision", "kind": "source_kind", "name": None}


def add_parser(sub: Any) -> None:
    """Add ``params`` to the subcommands ``sub``."""
    cmd = add_command(
        sub, "params",
        help="list the cited parameter registry, or rank a scenario's assumptions",
        description="The parameter registry: value, unit, dollar year, uncertainty range,\n"
        "source kind and citation of every figure the model uses. With --rank, the\n"
        "research agenda: a scenario's assumptions ranked by their share of the variance.",
        epilog=_EPILOG,
    )
    cmd.add_argument("--provision", choices=[*PROVISIONS, MONEY_GROUP], metavar="NAME",
                     action="append",
                     help=f"only this provision's parameters (repeat for several): "
                     f"{', '.join(PROVISIONS)}, {MONEY_GROUP}")
    cmd.add_argument("--kind", choices=SOURCE_KINDS, action="append",
                     help="only parameters whose value rests on this kind of source (repeat "
                     "for several; with --rank, default assumption)")
    cmd.add_argument("--sort", choices=list(SORTS), default="provision",
                     help="provision (default: by provision, in registry order), kind (by "
                     "source kind, seed to assumption) or name (alphabetical, no headings)")
    cmd.add_argument("--csv", metavar="FILE",
                     help="write every column as CSV to FILE ('-': standard output), in the "
                     "order of --sort")
    rank = cmd.add_argument_group("research agenda (--rank)")
    rank.add_argument("--rank", metavar="SCENARIO",
                      help="rank this scenario's assumptions (a file or a shipped scenario's "
                      "name) by their Sobol' share of each perspective's variance")
    rank.add_argument("--n", type=int, metavar="N",
                      help=f"base points of the Sobol' design, {_R} times a power of 2 "
                      f"(default {RANK_N:,})")
    rank.add_argument("--seed", type=int, metavar="S",
                      help="seed of the design (default: the scenario file's [run] seed)")
    rank.add_argument("--perspective", action="append", choices=PERSPECTIVES, metavar="P",
                      help="whose net cost to explain: federal, state_local, government or "
                      "economy (repeat for several; default: every perspective the scenario "
                      "books)")
    rank.add_argument("--top", type=int, metavar="K",
                      help=f"inputs printed per perspective (default {RANK_TOP}; the CSV has "
                      "them all)")
    parallel_options(cmd, "model runs (with --rank)")
    cmd.set_defaults(func=params, quiet=False)


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
    """``enforcecost params``: the exit code (2 for bad options, 1 if the CSV file cannot
    be written)."""
    if args.rank is not None:
        return _rank(args)
    given = [name for name in _RANK_ONLY if getattr(args, name) is not None]
    if given:
        report_options([option_problem(f"--{name}", "applies to --rank SCENARIO only")
                        for name in given])
        err(f"{PROG}: nothing was listed")
        return 2
    frame = select_parameters(parameters(), provisions=args.provision, kinds=args.kind,
                              sort=args.sort)
    if args.csv:
        return write_table_text(frame.to_csv(), args.csv, f"{len(frame)} parameters")
    if frame.empty:
        err(f"{PROG}: no parameters match")
        return 0
    out(render_registry(frame, width=terminal_width(), group=SORTS[args.sort]))
    return 0


# -- the research agenda ---------------------------------------------------------------------
def _load(path: str) -> tuple[Scenario | None, list[str]]:
    if Path(path).is_dir():
        return None, [f"{path}: is a directory; --rank takes one scenario file"]
    try:
        return load_scenario(path), []
    except ScenarioError as exc:
        return None, [str(exc)]


def _rank_problems(args: argparse.Namespace, sc: Scenario | None) -> list[Problem]:
    """Every problem with the options of ``--rank`` (``sc``: the scenario, if valid)."""
    problems = [option_problem(f"--{name}", rule, getattr(args, name))
                for name, rule in METHODS["sobol"].problems(n=args.n, seed=args.seed).items()]
    if args.top is not None and args.top < 1:
        problems.append(option_problem("--top", "must be a whole number >= 1", args.top))
    if args.perspective is not None and len(set(args.perspective)) != len(args.perspective):
        problems.append(option_problem("--perspective", "names a perspective twice",
                                       " ".join(args.perspective)))
    problems += parallel_problems(args)
    if sc is None:
        return problems
    if not uncertain_inputs(sc):
        problems.append(option_problem("--rank", "the scenario has no uncertain inputs to "
                                       "rank", args.rank))
        return problems
    booked = perspectives_with_lines(evaluate(sc))
    for p in args.perspective or []:
        if p not in booked:
            problems.append(option_problem("--perspective", f"the scenario books no {p} "
                                           "lines; nothing to explain", p))
    return problems


def _rank(args: argparse.Namespace) -> int:
    """``enforcecost params --rank SCENARIO``: the research agenda, printed or as CSV."""
    sc, problems = _load(args.rank)
    option_problems = _rank_problems(args, sc)
    if problems or option_problems:
        for p in problems:
            err(p)
        report_options(option_problems)
        err(f"{PROG}: nothing was ranked")
        return 2
    assert sc is not None
    perspectives = args.perspective or perspectives_with_lines(evaluate(sc))
    n = RANK_N if args.n is None else args.n
    seed = sc.run.seed if args.seed is None else args.seed
    kinds = tuple(dict.fromkeys(args.kind or ["assumption"]))
    runs = agenda_runs(sc, n)
    with stage(args, f"ranking ({sc.name})", runs):
        agenda = research_agenda(sc, perspectives, n=n, seed=seed, kinds=kinds,
                                 workers=args.workers, scheduler=args.scheduler)
    frame = agenda.to_frame()
    if args.provision:
        frame = frame[frame["provision"].isin(args.provision)]
    if args.csv:
        return write_table_text(frame.to_csv(index=False), args.csv,
                                f"the ranking of {len(frame)} inputs")
    if args.provision:  # the rows of that provision, with their ranks among all
        agenda = replace(agenda, frame=frame)
    out(render_agenda(agenda, top=RANK_TOP if args.top is None else args.top,
                      width=RANK_WIDTH))
    return 0

