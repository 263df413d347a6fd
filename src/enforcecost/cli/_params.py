"""``enforcecost params``: the cited parameter registry, as a table or CSV; with ``--rank``,
the research agenda of a scenario (its assumptions ranked by their share of the variance)."""

from __future__ import annotations

import argparse
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError
from ..model import evaluate, uncertain_inputs
from ..provisions import PROVISIONS
from ..registry import parameters
from ..report import AGENDA_N, perspectives_with_lines, render_agenda, render_registry
from ..results import PERSPECTIVES
from ..scenario import Scenario, load_scenario
from ..sensitivity import METHODS, agenda_runs, research_agenda
from ..vocab import SOURCE_KINDS
from ._console import PROG, err, option_problem, out, report_options, stage, write_table_text
from ._parser import add_command, parallel_options, parallel_problems

__all__ = ["add_parser", "params"]

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

--rank SCENARIO: the research agenda. The scenario's inputs resting on
assumptions (or on the --kind given), ranked per perspective by their Sobol'
total index ST: the share of the variance of the window total they take part
in. S1: the share removed, on average, if the input were known exactly. One
Sobol' design gives every perspective: about n (d + 6) model runs for d
uncertain inputs (80,000 for eo13768 at the default n = {RANK_N:,}, seconds).

examples:
  enforcecost params
  enforcecost params --kind assumption
  enforcecost params --provision removals
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
    cmd.add_argument("--provision", choices=[*PROVISIONS, "money"], metavar="NAME",
                     help=f"only this provision's parameters: {', '.join(PROVISIONS)}, money")
    cmd.add_argument("--kind", choices=SOURCE_KINDS,
                     help="only parameters whose value rests on this kind of source "
                     "(with --rank, default assumption)")
    cmd.add_argument("--csv", metavar="FILE",
                     help="write every column as CSV to FILE ('-': standard output)")
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
    kind = args.kind or "assumption"
    runs = agenda_runs(sc, n)
    with stage(args, f"ranking ({sc.name})", runs):
        agenda = research_agenda(sc, perspectives, n=n, seed=seed, kinds=(kind,),
                                 workers=args.workers, scheduler=args.scheduler)
    frame = agenda.to_frame()
    if args.provision:
        frame = frame[frame["provision"] == args.provision]
    if args.csv:
        return write_table_text(frame.to_csv(index=False), args.csv,
                                f"the ranking of {len(frame)} inputs")
    if args.provision:  # the rows of that provision, with their ranks among all
        agenda = replace(agenda, frame=frame)
    out(render_agenda(agenda, top=RANK_TOP if args.top is None else args.top,
                      width=RANK_WIDTH))
    return 0

