"""``enforcecost run`` and ``enforcecost report``: evaluate scenarios, write their tables."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Never

from tqdm import tqdm

from ..backends import Backend, using_backend
from ..errors import Problem, ScenarioError
from ..model import check_simulation, evaluate, simulate, uncertain_inputs
from ..report import (
    render_result,
    result_frames,
    run_manifest,
    scenario_record,
    summary_frame,
    write_comparison,
    write_report,
)
from ..results import Result
from ..scenario import MAX_DRAWS, SAMPLERS, Sampler, Scenario
from ..vocab import BASES, Basis
from ._atomic import atomic_directory
from ._console import (
    PROG,
    bar,
    err,
    option_problem,
    out,
    precision_notes,
    report_invalid,
    report_options,
)
from ._inputs import Entry, load_all
from ._outdir import MARKER, check_out, leftover, out_failure, write_csv
from ._parser import add_command, parallel_options, parallel_problems

__all__ = ["add_parsers", "run"]

#: Draws per block of a Monte Carlo run: small enough for the progress bar to
#: move, large enough to be fast. Results do not depend on it.
_BLOCK_SIZE = 4096

_RUN_EPILOG = """\
A directory argument means every *.toml under it (recursively, sorted; hidden
directories skipped). A name that is not a file is looked up among the shipped
scenarios ("eo13768", "calibration/aaf_2015_low"). If any file is invalid,
every problem of every file is listed and nothing is run or written.

Each scenario runs as its [run] table says: a Monte Carlo simulation of
`draws` draws (policy and baseline on the same draws) when draws > 1, its
central values when draws = 1 (or when nothing in it is uncertain). --draws,
--seed and --sampler override every file's [run]. The printed tables are then
means over draws, followed by the mean, 5th, 50th and 95th percentiles of each
perspective's 5-year and window totals with their Monte Carlo standard errors.
Too few draws for those standard errors are noted on standard error.

Output (written all at once: DIR is replaced only when everything succeeded):
  DIR/summary.csv                    5-year and window totals, scenario x perspective
  DIR/enforcecost-run.txt            what was run (draws, sampler, seed), by which version
  DIR/<scenario>/table_<perspective>_<basis>.csv   CBO table, $ millions (means over draws)
  DIR/<scenario>/ledger_<basis>.csv  dollars; for Monte Carlo runs the mean over
                                     draws, or every draw with --ledger-draws
  DIR/<scenario>/summary_<basis>.csv mean, sd, percentiles and standard errors, dollars
  DIR/<scenario>/percentiles_<basis>.csv, percentiles_5yr_<basis>.csv
                                     the same for the window and the first five
                                     years (Monte Carlo runs only)
  DIR/<scenario>/pipeline.csv (+ pipeline_baseline.csv), nonmonetized.csv,
  DIR/<scenario>/parameters_used.csv
  DIR/.enforcecost-files.json        every file written (path, size, time): what a
                                     later run may replace
<scenario> is the file's stem, or its path under a directory argument joined
with "_" (calibration/aaf_2015_low.toml -> calibration_aaf_2015_low), without
leading dots; "comparison" (the comparison page's) and names taken already get
"_2", "_3"... An existing DIR is replaced only if it holds exactly an earlier
enforcecost output, checked again just before the swap: anything else stops it
(exit 1) and the new output is left in DIR/enforcecost-new-*. DIR may be a mount
point. SIGINT, SIGTERM and SIGHUP leave DIR whole (the earlier or the new output).

examples:
  enforcecost run scenarios/ --out out/
  enforcecost run scenarios/eo13768.toml my_variant.toml --out out/ --basis nominal pv
  enforcecost run eo13768 --out out/ --draws 100000 --seed 7 --sampler lhs
  enforcecost run eo13768 --out out/ --draws 10000000 --scheduler tcp://host:8786
  enforcecost run eo13768 --out out/ --deterministic     central values only
  enforcecost run scenarios/calibration/ --out calib/ --basis real --quiet
"""

_REPORT_EPILOG = """\
examples:
  enforcecost report scenarios/eo13768.toml --out report/
  enforcecost report scenarios/ --out report/ --draws 4096
      every shipped scenario, plus a comparison page (comparison.md)

Per scenario: figures/*.png and *.svg, tables.xlsx, report.md, the brief as
report.html (self-contained) and report.pdf (typeset, US letter), manifest.json
(versions, file hashes, every resolved parameter, seed, draws, sampler: enough
to rerun it exactly), and the CSV tables of 'run'.
"""


def add_parsers(sub: Any) -> None:
    """Add ``run`` and ``report`` to the subcommands ``sub``."""
    run_cmd = add_command(
        sub, "run",
        help="evaluate scenarios: print CBO-style tables, write CSVs and reports to --out",
        description="Evaluate scenario files and write their tables, ledgers, summaries\n"
        "and (unless --no-report) their reports: charts, workbook, report.md,\n"
        "report.html and report.pdf.",
        epilog=_RUN_EPILOG,
    )
    report_cmd = add_command(
        sub, "report",
        help="like run, always writing the full report of every scenario",
        description="Evaluate scenario files and write, per scenario: figures (PNG, SVG),\n"
        "tables (CSV and one .xlsx workbook), report.md, the brief (report.html and a\n"
        "typeset report.pdf) and manifest.json; with several files, a comparison page.",
        epilog=_REPORT_EPILOG,
    )
    for cmd in (run_cmd, report_cmd):
        cmd.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                         help="scenario files, directories of them, or shipped scenario names")
        cmd.add_argument("--out", "-o", required=True, type=Path, metavar="DIR",
                         help="output directory (created, or replaced as a whole)")
        cmd.add_argument("--basis", nargs="+", choices=BASES, metavar="BASIS",
                         help="dollar bases to write: nominal (then-year, the CBO convention), "
                         "real (constant dollar-year dollars), pv (discounted); default: all "
                         "three. The printed tables use the first one.")
        how = cmd.add_mutually_exclusive_group()
        how.add_argument("--draws", type=int, metavar="N",
                         help="Monte Carlo draws for every scenario (default: each file's [run] "
                         "draws); 1 = central values only")
        how.add_argument("--deterministic", action="store_true",
                         help="central values only (same as --draws 1)")
        cmd.add_argument("--seed", type=int, metavar="S",
                         help="random seed for every scenario (default: each file's [run] seed)")
        cmd.add_argument("--sampler", choices=SAMPLERS,
                         help="sobol (scrambled Sobol' points), lhs (Latin hypercube) or random "
                         "(default: each file's [run] sampler)")
        cmd.add_argument("--ledger-draws", action="store_true",
                         help="for Monte Carlo runs, write every draw's ledger (draws x years x "
                         "lines rows) instead of the mean over draws")
        cmd.add_argument("--quiet", "-q", action="store_true",
                         help="print nothing but errors (no tables, notes or progress bar)")
        cmd.add_argument("--force", action="store_true",
                         help="start a Monte Carlo run even if its estimated memory exceeds "
                         "the memory available (the estimate never changes the result)")
        if cmd is run_cmd:
            cmd.add_argument("--no-report", action="store_true",
                             help="tables only: no figures, workbook, report.md or report.pdf")
        parallel_options(cmd, "draws")
        cmd.set_defaults(func=run)
    report_cmd.set_defaults(no_report=False)


# -- plans ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    """How one scenario is run: ``draws == 1`` means central values only."""

    draws: int
    seed: int
    sampler: Sampler
    why_central: str = ""  # why a scenario asking for draws runs its central values

    @property
    def monte_carlo(self) -> bool:
        return self.draws > 1


def _option_problems(args: argparse.Namespace) -> list[Problem]:
    problems = parallel_problems(args)
    if args.draws is not None and not 1 <= args.draws <= MAX_DRAWS:
        problems.append(option_problem(
            "--draws", f"must be a whole number from 1 to {MAX_DRAWS:,} (2**30, the most "
            "points the Sobol' design can make)", args.draws))
    if args.seed is not None and args.seed < 0:
        problems.append(option_problem("--seed", "must be a whole number >= 0", args.seed))
    central = args.deterministic or args.draws == 1
    for opt, value in (("--seed", args.seed), ("--sampler", args.sampler)):
        if central and value is not None:
            given = "--deterministic" if args.deterministic else "--draws 1"
            problems.append(option_problem(opt, f"applies to Monte Carlo runs, not with {given}"))
    return problems


def _plan(sc: Scenario, args: argparse.Namespace) -> _Plan:
    draws = 1 if args.deterministic else (sc.run.draws if args.draws is None else args.draws)
    seed = sc.run.seed if args.seed is None else args.seed
    sampler: Sampler = sc.run.sampler if args.sampler is None else args.sampler
    if draws > 1 and not uncertain_inputs(sc):
        return _Plan(1, seed, sampler, why_central="no uncertain inputs")
    return _Plan(draws, seed, sampler)


def _evaluate(sc: Scenario, plan: _Plan, shown: tqdm[Never], backend: Backend | None) -> Result:
    """One scenario's result: central values, or a Monte Carlo simulation moving ``shown``."""
    if not plan.monte_carlo:
        return evaluate(sc)

    def progress(draws_done: int) -> None:
        shown.update(draws_done)

    return simulate(sc, plan.draws, plan.seed, plan.sampler, block_size=_BLOCK_SIZE,
                    progress=progress, backend=backend, force=True)  # checked up front


def _limit_problems(loaded: Sequence[tuple[Entry, Scenario]], args: argparse.Namespace,
                    ) -> list[str]:
    """Every Monte Carlo run's limits (draws, correlations, memory), before any starts."""
    found = []
    for _, sc in loaded:
        plan = _plan(sc, args)
        if not plan.monte_carlo:
            continue
        try:
            check_simulation(sc, plan.draws, plan.seed, plan.sampler, block_size=_BLOCK_SIZE,
                             workers=args.workers, scheduler=args.scheduler, force=args.force,
                             draws_key="--draws" if args.draws is not None else "[run] draws")
        except ScenarioError as exc:
            found.append(str(exc))
    return found


# -- the command ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Done:
    ident: str
    result: Result
    plan: _Plan
    notes: tuple[str, ...]


_NOTE = "Not estimated: {n} non-monetized effect{s} (listed in {ident}/nonmonetized.csv)."


def _write_one(args: argparse.Namespace, entry: Entry, res: Result, plan: _Plan,
               folder: Path, bases: Sequence[Basis], argv_line: str) -> _Done:
    """Write one scenario's tables (and report) to ``folder``; print its table and note."""
    folder.mkdir()
    text = None
    with precision_notes() as notes:
        frames = result_frames(res, bases, ledger_draws=args.ledger_draws)
        if not args.quiet:
            n = len(res.nonmonetized())
            footnote = _NOTE.format(n=n, s="s" if n != 1 else "", ident=entry.ident)
            text = render_result(res, bases[0], footnote=footnote,
                                 sampler=plan.sampler, seed=plan.seed)
    for name, frame in frames.items():
        write_csv(frame, folder / name)
    if not args.no_report:
        with precision_notes():
            write_report(
                res, folder, command=argv_line,
                sampler=plan.sampler if plan.monte_carlo else None,
                seed=plan.seed if plan.monte_carlo else None,
            )
    if text is not None:
        out(text + "\n")
    if notes and not args.quiet:
        err(f"{PROG}: note: {entry.ident}: {notes[0]}")
    return _Done(entry.ident, res, plan, tuple(notes[:1]))


def _manifest(done: Sequence[_Done], argv_line: str, bases: Sequence[Basis],
              ledger_draws: bool) -> str:
    """The run's manifest as text (the ``MARKER`` file)."""
    records = [
        scenario_record(d.result, d.ident,
                        sampler=d.plan.sampler if d.plan.monte_carlo else None,
                        seed=d.plan.seed if d.plan.monte_carlo else None,
                        why_central=d.plan.why_central, notes=d.notes)
        for d in done
    ]
    return run_manifest(records, command=argv_line, bases=bases,
                        ledger_draws=ledger_draws).to_text()


def run(args: argparse.Namespace) -> int:
    """``enforcecost run`` (and ``report``): the exit code."""
    bases: list[Basis] = list(dict.fromkeys(args.basis or BASES))
    option_problems = _option_problems(args)
    loaded, problems, invalid = load_all(args.paths)
    total = invalid + len(loaded)
    if not option_problems:
        limits = _limit_problems(loaded, args)
        problems += limits
        invalid += len(limits)
    target: Path = args.out
    out_problems = check_out(target, [sc for _, sc in loaded])
    if problems or out_problems or option_problems:
        if problems:
            report_invalid(problems, invalid, total, "nothing was run or written")
        report_options([*option_problems, *out_problems])
        return 2

    done: list[_Done] = []
    argv_line = " ".join([PROG, *args.argv])
    # --workers or --scheduler: one pool or cluster for every run; else each simulation's
    # default (local processes for a large run, this process otherwise: simulate())
    chosen = args.workers is not None or args.scheduler is not None
    backend: AbstractContextManager[Backend | None] = (
        using_backend(workers=args.workers, scheduler=args.scheduler) if chosen
        else nullcontext(None))
    try:
        with backend as where, atomic_directory(target, on_leftover=leftover) as tmp:
            for entry, sc in loaded:
                plan = _plan(sc, args)
                with bar(args, plan.draws if plan.monte_carlo else 0, entry.ident,
                         "draw") as shown:
                    res = _evaluate(sc, plan, shown, where)
                done.append(_write_one(args, entry, res, plan, tmp / entry.ident, bases,
                                       argv_line))
            write_csv(summary_frame([(d.ident, d.result) for d in done], bases),
                      tmp / "summary.csv")
            if not args.no_report and len(done) > 1:
                (tmp / "comparison").mkdir()
                with precision_notes():
                    write_comparison([(d.ident, d.result) for d in done], tmp / "comparison")
            (tmp / MARKER).write_text(_manifest(done, argv_line, bases, args.ledger_draws),
                                      encoding="utf-8")
    except ConnectionError:  # the Dask scheduler, not the output directory
        raise
    except OSError as exc:
        return out_failure(target, exc, args.debug)
    if not args.quiet:
        err(f"{PROG}: wrote {len(done)} scenario{'s' if len(done) != 1 else ''} to {target}")
    return 0
