"""``enforcecost sensitivity``: which uncertain inputs drive one scenario's impact.

Every method comes from :data:`enforcecost.sensitivity.METHODS`: its options and
their defaults, the rules their values follow, its model runs, its tables and
its printed table. This module keeps only what is the command's own: the flag
names, the output directory and the seed's default (the file's ``[run]`` seed).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import report
from .._version import __version__
from ..errors import Problem, ScenarioError, suggest
from ..model import evaluate, uncertain_inputs
from ..provisions import PROVISIONS
from ..report import perspectives_with_lines
from ..results import PERSPECTIVES
from ..scenario import Scenario, load_scenario, modified_words
from ..sensitivity import METHODS, Method, Output
from ..vocab import BASES
from ._atomic import atomic_directory
from ._console import PROG, err, option_problem, out, report_options, stage
from ._outdir import MARKER, check_out, leftover, out_failure, write_csv
from ._parser import add_command, parallel_options, parallel_problems

__all__ = ["add_parser", "sensitivity"]

_SOBOL = METHODS["sobol"].options
_MORRIS = METHODS["morris"].options
_SOBOL_R = _SOBOL["replicates"]

_EPILOG = f"""\
Which uncertain inputs drive a scenario's impact (policy minus baseline on the
same input quantiles), each reported with its provision and source kind:
  tornado  each input alone at the low and high end of its range: 2d + 1 model
           runs for d uncertain inputs (seconds)
  morris   elementary-effects screening: trajectories x (d + 1) runs
  sobol    variance shares S1 (alone) and ST (with interactions), with intervals
           from {_SOBOL_R} scrambled replicates, grouped by provision and by source kind:
           about 2 n (d + 10) runs (570,000 for eo13768 at n = {_SOBOL["n"]})
The printed table shows the top drivers; the CSV files have every input.

Output (written all at once, like run):
  DIR/tornado.csv | DIR/morris.csv | DIR/sobol.csv, sobol_by_provision.csv,
  sobol_by_source_kind.csv           indexed by input or group; in the units
                                     printed: money in millions of dollars
                                     (columns *_millions), indices as shares
  DIR/tornado.png, .svg | morris.png, .svg | sobol.png, .svg   the chart
  DIR/enforcecost-run.txt            what was run, by which version

examples:
  enforcecost sensitivity eo13768 --method tornado --out sens/
  enforcecost sensitivity eo13768 --method morris --trajectories 40 --out sens/
  enforcecost sensitivity eo13768 --method sobol --n 1024 --output government --out sens/
  enforcecost sensitivity eo13768 --method sobol --workers 4 --out sens/
  enforcecost sensitivity my.toml --method sobol --provision removals --years 5 --out sens/
  enforcecost sensitivity eo13768 --method tornado --year 2020 --basis real --out sens/
"""

#: The chart's files, one per format.
CHART_FORMATS = ("png", "svg")

#: The command's flags of the methods' design options (a flag per option it offers).
_FLAGS = ("n", "trajectories", "seed")


def _or(names: Sequence[str]) -> str:
    """``'a, b or c'``."""
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def add_parser(sub: Any) -> None:
    """Add ``sensitivity`` to the subcommands ``sub``."""
    sens = add_command(
        sub, "sensitivity",
        help="which uncertain inputs drive a scenario's impact: tornado, Morris, Sobol'",
        description="Sensitivity analysis of one scenario: rank its uncertain inputs by how\n"
        "much of the output they move, and say which kinds of source they rest on.",
        epilog=_EPILOG,
    )
    sens.add_argument("path", metavar="FILE",
                      help="a scenario file or a shipped scenario's name")
    sens.add_argument("--method", "-m", required=True, choices=list(METHODS),
                      help=_or(list(METHODS)))
    sens.add_argument("--out", "-o", required=True, type=Path, metavar="DIR",
                      help="output directory (created, or replaced as a whole)")
    sens.add_argument("--output", choices=PERSPECTIVES, default="federal",
                      help="whose net cost to explain: federal (default), state_local, "
                      "government or economy")
    sens.add_argument("--basis", choices=BASES, default="nominal",
                      help="dollars of the output: nominal (default), real or pv")
    span = sens.add_mutually_exclusive_group()
    span.add_argument("--year", type=int, metavar="FY",
                      help="one fiscal year of the window (default: the whole window)")
    span.add_argument("--years", type=int, metavar="N",
                      help="the first N fiscal years (5: the 5-year total)")
    sens.add_argument("--provision", metavar="NAME",
                      help=f"one provision's lines only: {', '.join(PROVISIONS)}")
    sens.add_argument("--n", type=int, metavar="N",
                      help=f"sobol: base points, {_SOBOL['replicates']} times a power of 2 "
                      f"(default {_SOBOL['n']})")
    sens.add_argument("--trajectories", type=int, metavar="R",
                      help=f"morris: trajectories (default {_MORRIS['trajectories']})")
    seeded = [m.name for m in METHODS.values() if "seed" in m.options]
    sens.add_argument("--seed", type=int, metavar="S",
                      help=f"{' and '.join(seeded)}: random seed (default: the file's [run] "
                      "seed)")
    sens.add_argument("--top", type=int, default=15, metavar="K",
                      help="inputs shown in the printed table (default 15; the CSV has all)")
    parallel_options(sens, "model runs")
    sens.add_argument("--quiet", "-q", action="store_true",
                      help="print nothing but errors (no tables or progress bar)")
    sens.set_defaults(func=sensitivity)


# -- problems ------------------------------------------------------------------------------
def _design_problems(args: argparse.Namespace, method: Method) -> list[Problem]:
    """Flags of options ``method`` lacks, and values breaking its rules."""
    given = {name: getattr(args, name) for name in _FLAGS}
    problems = []
    for name, value in given.items():
        if value is None or name in method.options:
            continue
        having = [m.name for m in METHODS.values() if name in m.options]
        why = (f" ({method.name} has no randomness)" if name == "seed"
               else f", not {method.name}")
        problems.append(option_problem(
            f"--{name}", f"applies to --method {' and '.join(having)} only{why}"))
    options = {name: value for name, value in given.items() if name in method.options}
    problems += [option_problem(f"--{name}", rule, options[name])
                 for name, rule in method.problems(**options).items()]
    return problems


def _scenario_problems(args: argparse.Namespace, sc: Scenario, provision_ok: bool,
                       ) -> list[Problem]:
    """Problems of the options with this scenario: its window, provisions and lines."""
    problems = []
    last = sc.start_year + sc.years - 1
    if args.years is not None and not 1 <= args.years <= sc.years:
        problems.append(option_problem("--years", f"must be from 1 to {sc.years} (the window "
                                       f"FY{sc.start_year}-FY{last})", args.years))
    if args.year is not None and not sc.start_year <= args.year <= last:
        problems.append(option_problem("--year", "must be a fiscal year of the window "
                                       f"{sc.start_year}-{last}", args.year))
    costed = list(sc.provisions)
    if sc.baseline is not None:
        costed += [p for p in sc.baseline.provisions if p not in costed]
    if args.provision is not None and provision_ok and args.provision not in costed:
        provision_ok = False
        problems.append(option_problem("--provision", "not costed in this scenario (it costs "
                                       f"{', '.join(costed)})", args.provision))
    if not uncertain_inputs(sc):
        problems.append(option_problem(args.path,
                                       "the scenario has no uncertain inputs to analyse"))
    elif provision_ok and args.output not in perspectives_with_lines(evaluate(sc),
                                                                      args.provision):
        of = f" of provision {args.provision}" if args.provision else ""
        problems.append(option_problem("--output", f"the scenario books no {args.output} "
                                       f"lines{of}; nothing to explain", args.output))
    return problems


def _option_problems(args: argparse.Namespace, sc: Scenario | None) -> list[Problem]:
    """Every problem with the options of ``sensitivity`` (``sc``: the scenario, if valid)."""
    problems = _design_problems(args, METHODS[args.method])
    if args.top < 1:
        problems.append(option_problem("--top", "must be a whole number >= 1", args.top))
    problems += parallel_problems(args)
    provision_ok = args.provision is None or args.provision in PROVISIONS
    if not provision_ok:
        problems.append(option_problem(
            "--provision", f"unknown provision{suggest(args.provision, PROVISIONS)}; one of "
            f"{', '.join(PROVISIONS)}", args.provision))
    if sc is None:
        return problems
    return problems + _scenario_problems(args, sc, provision_ok)


# -- the command ---------------------------------------------------------------------------
def _load(path: str) -> tuple[Scenario | None, list[str]]:
    if Path(path).is_dir():
        return None, [f"{path}: is a directory; sensitivity takes one scenario file"]
    try:
        return load_scenario(path), []
    except ScenarioError as exc:
        return None, [str(exc)]


def _details(method: Method, result: Any, seed: int | None) -> list[str]:
    """The method's lines for the manifest: its design (with the seed), runs, and the rest."""
    first, *rest = method.details(result)
    if seed is not None:
        first += f", seed: {seed}"
    return [first, f"model runs: {method.runs(result)}", *rest]


def _save_chart(method: Method, result: Any, folder: Path) -> None:
    """The method's chart (:mod:`enforcecost.plot`, by :attr:`Method.chart`, with its
    own number of inputs shown) as ``<method>.png`` and ``.svg`` in ``folder``."""
    import matplotlib.pyplot as plt  # on use: the other commands do without matplotlib

    from .. import plot

    ax = getattr(plot, method.chart)(result)
    fig = ax.get_figure(root=True)
    try:
        for ext in CHART_FORMATS:
            fig.savefig(folder / f"{method.name}.{ext}", dpi=150 if ext == "png" else None,
                        bbox_inches="tight")
    finally:
        plt.close(fig)


def sensitivity(args: argparse.Namespace) -> int:
    """``enforcecost sensitivity``: the exit code."""
    sc, problems = _load(args.path)
    option_problems = _option_problems(args, sc)
    target: Path = args.out
    out_problems = check_out(target, [sc] if sc is not None else [])
    if problems or option_problems or out_problems:
        for p in problems:
            err(p)
        report_options([*option_problems, *out_problems])
        err(f"{PROG}: nothing was run or written")
        return 2
    assert sc is not None

    method = METHODS[args.method]
    years: int | tuple[int, ...] | None = (args.year,) if args.year is not None else args.years
    output = Output(perspective=args.output, basis=args.basis, years=years,
                    provision=args.provision)
    options = {name: getattr(args, name) for name in _FLAGS if name in method.options}
    seed = None
    if "seed" in method.options:
        seed = options["seed"] = sc.run.seed if args.seed is None else args.seed
    ident = Path(args.path).stem if Path(args.path).is_file() else args.path.replace("/", "_")
    with stage(args, f"{method.name} ({ident})", method.planned_runs(sc, **options)):
        result = method.run(sc, output, workers=args.workers, scheduler=args.scheduler,
                            **options)
    frames = {f"{stem}.csv": report.in_printed_units(stem, frame)
              for stem, frame in method.frames(result).items()}
    charts = [f"{method.name}.{ext}" for ext in CHART_FORMATS]
    text = getattr(report, method.table)(result, top=args.top)
    try:
        with atomic_directory(target, on_leftover=leftover) as tmp:
            for name, frame in frames.items():
                write_csv(frame, tmp / name)
            _save_chart(method, result, tmp)
            path = "<code>" if sc.path is None else f"{sc.path}{modified_words(sc.modified)}"
            manifest = [
                f"{PROG} {__version__}",
                f"command: {' '.join([PROG, *args.argv])}",
                f"scenario: {path} ({sc.name})",
                f"output: {output.label(sc)}",
                f"method: {method.name}",
                *_details(method, result, seed),
                f"files: {', '.join([*frames, *charts])}",
                "units: money in millions of dollars (columns *_millions); indices as shares",
            ]
            (tmp / MARKER).write_text("\n".join(manifest) + "\n", encoding="utf-8")
    except OSError as exc:
        return out_failure(target, exc, args.debug)
    if not args.quiet:
        out(f"{sc.name}\n{text}\n")
        err(f"{PROG}: wrote {', '.join([*frames, *charts])} to {target}")
    return 0
