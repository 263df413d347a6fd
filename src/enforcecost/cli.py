"""The ``enforcecost`` command: run, validate and inspect scenarios from the shell.

Exit codes: 0 success; 2 invalid input (a scenario problem, an unknown file, a
bad argument or output directory); 1 the run failed (an internal error, which
is a bug to report, or an output directory that could not be written).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Never

import pandas as pd
from tqdm import tqdm

from . import __version__
from ._atomic import (
    LISTING,
    ForeignFilesError,
    atomic_directory,
    atomic_write_text,
    foreign_entries,
)
from .backends import Backend, DaskMissingError, tune_malloc, using_backend
from .errors import ScenarioError
from .errors import suggest as _suggest
from .model import check_simulation, evaluate, simulate, uncertain_inputs
from .provisions import PROVISIONS
from .registry import parameters, registry
from .report import (
    assumption_share,
    perspectives_with_lines,
    render_morris,
    render_registry,
    render_result,
    render_sobol,
    render_tornado,
    result_frames,
    run_description,
    summary_frame,
    write_comparison,
    write_report,
)
from .results import PERSPECTIVES, PrecisionWarning, Result
from .scenario import MAX_DRAWS, SAMPLERS, Sampler, Scenario, load_scenario
from .sensitivity import Output, morris, sobol, tornado
from .vocab import BASES, SOURCE_KINDS, Basis

__all__ = ["MARKER", "build_parser", "main"]

#: Written at the top of every ``run`` output directory; an existing directory
#: is only ever replaced if it is empty or carries this file.
MARKER = "enforcecost-run.txt"

_PROG = "enforcecost"
_METHODS = ("tornado", "morris", "sobol")
_SOBOL_N = 4096
_SOBOL_REPLICATES = 16  # sensitivity.sobol's default
_TRAJECTORIES = 20
#: Draws per block of a Monte Carlo run: small enough for the progress bar to
#: move, large enough to be fast. Results do not depend on it.
_BLOCK_SIZE = 4096
_BUG_HINT = (
    "This is a bug in enforcecost {version}, not a problem with your input. Please report "
    "it with the command you ran and your scenario files{debug}."
)

_MAIN_EPILOG = """\
examples:
  enforcecost run scenarios/ --out out/          every shipped scenario, all bases
  enforcecost run scenarios/eo13768.toml --out out/ --basis real
  enforcecost run eo13768 --out out/ --draws 1   central values only
  enforcecost sensitivity eo13768 --method tornado --out sens/
  enforcecost validate my_scenario.toml          check a file before running it
  enforcecost params --kind assumption           the registry's assumptions
  enforcecost <command> --help                   options and examples of a command

exit codes: 0 ok, 2 invalid input, 1 the run failed (internal error or unwritable output)
"""

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

Per scenario: figures/*.png and *.svg, tables.xlsx, report.md, report.pdf,
manifest.json (versions, file hashes, every resolved parameter, seed, draws,
sampler: enough to rerun it exactly), and the CSV tables of 'run'.
"""

_SENSITIVITY_EPILOG = """\
Which uncertain inputs drive a scenario's impact (policy minus baseline on the
same input quantiles), each reported with its provision and source kind:
  tornado  each input alone at the low and high end of its range: 2d + 1 model
           runs for d uncertain inputs (seconds)
  morris   elementary-effects screening: trajectories x (d + 1) runs
  sobol    variance shares S1 (alone) and ST (with interactions), with intervals
           from 16 scrambled replicates, grouped by provision and by source kind:
           about 2 n (d + 10) runs (570,000 for eo13768 at n = 4096)
The printed table shows the top drivers; the CSV files have every input.

Output (written all at once, like run):
  DIR/tornado.csv | DIR/morris.csv | DIR/sobol.csv, sobol_by_provision.csv,
  sobol_by_source_kind.csv           indexed by input or group; money in dollars
  DIR/enforcecost-run.txt            what was run, by which version

examples:
  enforcecost sensitivity eo13768 --method tornado --out sens/
  enforcecost sensitivity eo13768 --method morris --trajectories 40 --out sens/
  enforcecost sensitivity eo13768 --method sobol --n 1024 --output government --out sens/
  enforcecost sensitivity eo13768 --method sobol --workers 4 --out sens/
  enforcecost sensitivity my.toml --method sobol --provision removals --years 5 --out sens/
  enforcecost sensitivity eo13768 --method tornado --year 2020 --basis real --out sens/
"""

_VALIDATE_EPILOG = """\
Prints "ok: FILE (NAME)" for each valid file and every problem of every
invalid one (FILE: [table] key: rule, got value). Exit 0 if all are valid, else 2.

examples:
  enforcecost validate my_scenario.toml
  enforcecost validate scenarios/
"""

_PARAMS_EPILOG = """\
kinds: seed (the order's summary), published (a cited source), derived
(arithmetic on cited figures), assumption (no source found; range stated).

examples:
  enforcecost params
  enforcecost params --kind assumption
  enforcecost params --provision removals
  enforcecost params --csv parameters.csv        every column, for a spreadsheet
  enforcecost params --csv - | head              CSV on standard output
"""


# -- parser ------------------------------------------------------------------------
def _parallel_options(cmd: argparse.ArgumentParser, what: str) -> None:
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N",
                       help=f"run blocks of {what} on N local processes (results are identical "
                       "to a run in this process)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help=f"run blocks of {what} on a Dask cluster, e.g. tcp://host:8786 "
                       "(pip install 'enforcecost[dask]')")


def _parallel_problems(args: argparse.Namespace) -> list[str]:
    if args.workers is not None and args.workers < 1:
        return [f"--workers {args.workers}: must be a whole number >= 1"]
    return []


def _common(debug_default: object) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--debug",
        action="store_true",
        default=debug_default,
        help="show the traceback of an internal error",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``enforcecost`` command (with its subcommands)."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Fiscal-impact scenarios for EO 13768 (interior immigration enforcement,\n"
        "2017): cited parameters, uncertain inputs, CBO-style tables.",
        epilog=_MAIN_EPILOG,
        formatter_class=fmt,
        parents=[_common(False)],
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {__version__}")
    # Subcommands take --debug too; SUPPRESS keeps them from resetting the top-level value.
    sub_parent = _common(argparse.SUPPRESS)
    sub = parser.add_subparsers(title="commands", dest="command", required=True,
                                metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="evaluate scenarios: print CBO-style tables, write CSVs and reports to --out",
        description="Evaluate scenario files and write their tables, ledgers, summaries\n"
        "and (unless --no-report) their reports: charts, workbook, report.md and report.pdf.",
        epilog=_RUN_EPILOG,
        formatter_class=fmt,
        parents=[sub_parent],
    )
    report = sub.add_parser(
        "report",
        help="like run, always writing the full report of every scenario",
        description="Evaluate scenario files and write, per scenario: figures (PNG, SVG),\n"
        "tables (CSV and one .xlsx workbook), report.md, a multi-page report.pdf and\n"
        "manifest.json; with several files, a comparison page.",
        epilog=_REPORT_EPILOG,
        formatter_class=fmt,
        parents=[sub_parent],
    )
    for cmd in (run, report):
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
        if cmd is run:
            cmd.add_argument("--no-report", action="store_true",
                             help="tables only: no figures, workbook, report.md or report.pdf")
        _parallel_options(cmd, "draws")
        cmd.set_defaults(func=_cmd_run)
    report.set_defaults(no_report=False)

    sens = sub.add_parser(
        "sensitivity",
        help="which uncertain inputs drive a scenario's impact: tornado, Morris, Sobol'",
        description="Sensitivity analysis of one scenario: rank its uncertain inputs by how\n"
        "much of the output they move, and say which kinds of source they rest on.",
        epilog=_SENSITIVITY_EPILOG,
        formatter_class=fmt,
        parents=[sub_parent],
    )
    sens.add_argument("path", metavar="FILE",
                      help="a scenario file or a shipped scenario's name")
    sens.add_argument("--method", "-m", required=True, choices=_METHODS,
                      help="tornado, morris or sobol")
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
                      help=f"sobol: base points, 16 times a power of 2 (default {_SOBOL_N})")
    sens.add_argument("--trajectories", type=int, metavar="R",
                      help=f"morris: trajectories (default {_TRAJECTORIES})")
    sens.add_argument("--seed", type=int, metavar="S",
                      help="morris and sobol: random seed (default: the file's [run] seed)")
    sens.add_argument("--top", type=int, default=15, metavar="K",
                      help="inputs shown in the printed table (default 15; the CSV has all)")
    _parallel_options(sens, "model runs")
    sens.add_argument("--quiet", "-q", action="store_true",
                      help="print nothing but errors (no tables or progress bar)")
    sens.set_defaults(func=_cmd_sensitivity)

    validate = sub.add_parser(
        "validate",
        help="check scenario files and list every problem",
        description="Check scenario files (with what they extend and their baselines).",
        epilog=_VALIDATE_EPILOG,
        formatter_class=fmt,
        parents=[sub_parent],
    )
    validate.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                          help="scenario files, directories of them, or shipped scenario names")
    validate.set_defaults(func=_cmd_validate)

    params = sub.add_parser(
        "params",
        help="list the cited parameter registry",
        description="The parameter registry: value, unit, dollar year, uncertainty range,\n"
        "source kind and citation of every figure the model uses.",
        epilog=_PARAMS_EPILOG,
        formatter_class=fmt,
        parents=[sub_parent],
    )
    params.add_argument("--provision", choices=[*PROVISIONS, "money"], metavar="NAME",
                        help=f"only this provision's parameters: {', '.join(PROVISIONS)}, money")
    params.add_argument("--kind", choices=SOURCE_KINDS,
                        help="only parameters whose value rests on this kind of source")
    params.add_argument("--csv", metavar="FILE",
                        help="write every column as CSV to FILE ('-': standard output)")
    params.set_defaults(func=_cmd_params)
    return parser


# -- finding and loading files ---------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    """A scenario file to load and the name of its output directory."""

    ref: str  # path or shipped name, as given to load_scenario
    ident: str


def _expand(args: Sequence[str]) -> tuple[list[_Entry], list[str]]:
    """Scenario files named by the arguments, and messages for directories without any."""
    entries: list[_Entry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*.toml")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(f"{arg}: no scenario files (*.toml) in this directory")
            for p in found:
                ident = "_".join(p.relative_to(path).with_suffix("").parts)
                entries.append(_Entry(str(p), ident))
        elif path.is_file():
            entries.append(_Entry(arg, path.stem))
        else:  # a shipped scenario's name, or a missing file load_scenario reports
            stem = arg[:-5] if arg.endswith(".toml") else arg
            entries.append(_Entry(arg, stem.replace("\\", "/").strip("/").replace("/", "_")))
    unique: list[_Entry] = []
    # The other top-level names of an output; compared case-blind (macOS, Windows).
    used = {"summary.csv", MARKER, "comparison", LISTING}
    for e in entries:
        key = str(Path(e.ref).resolve()) if Path(e.ref).is_file() else e.ref
        if key in seen:
            continue
        seen.add(key)
        base = e.ident.lstrip(".") or "scenario"  # no ".", ".." or hidden names
        ident, n = base, 1
        while ident.casefold() in used:
            n += 1
            ident = f"{base}_{n}"
        used.add(ident.casefold())
        unique.append(_Entry(e.ref, ident))
    return unique, problems


def _load_all(
    args: Sequence[str],
) -> tuple[list[tuple[_Entry, Scenario]], list[str], int]:
    """Load every scenario; return the loaded ones, every problem, and the invalid count."""
    entries, problems = _expand(args)
    loaded: list[tuple[_Entry, Scenario]] = []
    invalid = len(problems)
    for e in entries:
        try:
            loaded.append((e, load_scenario(e.ref)))
        except ScenarioError as exc:
            problems.append(str(exc))
            invalid += 1
    return loaded, problems, invalid


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _out(text: str) -> None:
    """Print to stdout; a closed pipe (``| head``) silences the rest instead of failing."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # not a real file descriptor (e.g. captured)
            pass


def _report_invalid(problems: Sequence[str], invalid: int, total: int, what: str) -> None:
    for p in problems:
        _err(p)
    _err(f"{_PROG}: {invalid} of {total} input{'s' if total != 1 else ''} invalid; {what}")


# -- progress and notes --------------------------------------------------------------------
def _show_progress(args: argparse.Namespace) -> bool:
    """A progress bar only for a person watching: stderr a terminal, and no --quiet."""
    isatty = getattr(sys.stderr, "isatty", None)
    return not args.quiet and callable(isatty) and bool(isatty())


def _bar(args: argparse.Namespace, total: int, desc: str, unit: str) -> tqdm[Never]:
    """A tqdm bar on stderr that disappears when done (disabled when not shown)."""
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False,
                file=sys.stderr, dynamic_ncols=True, disable=not _show_progress(args))


@contextmanager
def _stage(args: argparse.Namespace, desc: str, runs: int) -> Iterator[None]:
    """A bar for one computation that reports no progress of its own: it fills when the
    block ends, and its elapsed time is refreshed meanwhile."""
    with _bar(args, runs, desc, "run") as bar:
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.5):
                bar.refresh()

        ticker = None if bar.disable else threading.Thread(target=tick, daemon=True)
        if ticker is not None:
            ticker.start()
        try:
            yield
            bar.update(runs)
        finally:
            stop.set()
            if ticker is not None:
                ticker.join()


@contextmanager
def _precision_notes() -> Iterator[list[str]]:
    """Collect :class:`PrecisionWarning` messages (as one-line notes) raised in the block.

    The list is filled when the block ends. Other warnings are passed on unchanged.
    """
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PrecisionWarning)
        yield notes
    for w in caught:
        if issubclass(w.category, PrecisionWarning):
            note = " ".join(str(w.message).split())
            if note not in notes:
                notes.append(note)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


# -- run -----------------------------------------------------------------------------------
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


def _run_option_problems(args: argparse.Namespace) -> list[str]:
    problems = _parallel_problems(args)
    if args.draws is not None and not 1 <= args.draws <= MAX_DRAWS:
        problems.append(f"--draws {args.draws}: must be a whole number from 1 to "
                        f"{MAX_DRAWS:,} (2**30, the most points the Sobol' design can make)")
    if args.seed is not None and args.seed < 0:
        problems.append(f"--seed {args.seed}: must be a whole number >= 0")
    central = args.deterministic or args.draws == 1
    for opt, value in (("--seed", args.seed), ("--sampler", args.sampler)):
        if central and value is not None:
            given = "--deterministic" if args.deterministic else "--draws 1"
            problems.append(f"{opt}: applies to Monte Carlo runs, not with {given}")
    return problems


def _plan(sc: Scenario, args: argparse.Namespace) -> _Plan:
    draws = 1 if args.deterministic else (sc.run.draws if args.draws is None else args.draws)
    seed = sc.run.seed if args.seed is None else args.seed
    sampler: Sampler = sc.run.sampler if args.sampler is None else args.sampler
    if draws > 1 and not uncertain_inputs(sc):
        return _Plan(1, seed, sampler, why_central="no uncertain inputs")
    return _Plan(draws, seed, sampler)


def _evaluate(sc: Scenario, plan: _Plan, bar: tqdm[Never], backend: Backend) -> Result:
    """One scenario's result: central values, or a Monte Carlo simulation moving ``bar``."""
    if not plan.monte_carlo:
        return evaluate(sc)

    def progress(draws_done: int) -> None:
        bar.update(draws_done)

    return simulate(sc, plan.draws, plan.seed, plan.sampler, block_size=_BLOCK_SIZE,
                    progress=progress, backend=backend, force=True)  # checked up front


def _limit_problems(loaded: Sequence[tuple[_Entry, Scenario]], args: argparse.Namespace,
                    ) -> list[str]:
    """Every Monte Carlo run's limits (draws, correlations, memory), before any starts."""
    out = []
    for _, sc in loaded:
        plan = _plan(sc, args)
        if not plan.monte_carlo:
            continue
        try:
            check_simulation(sc, plan.draws, plan.seed, plan.sampler, block_size=_BLOCK_SIZE,
                             workers=args.workers, scheduler=args.scheduler, force=args.force,
                             draws_key="--draws" if args.draws is not None else "[run] draws")
        except ScenarioError as exc:
            out.append(str(exc))
    return out


@dataclass(frozen=True)
class _Done:
    ident: str
    result: Result
    plan: _Plan
    notes: tuple[str, ...]


def _check_out(out: Path, inputs: Sequence[Scenario]) -> str | None:
    """Why ``out`` must not be written (replaced), or None when it is safe to start."""
    try:
        if out.exists() and not out.is_dir():
            return f"--out {out}: exists and is not a directory"
        if not out.exists():
            above = next(p for p in out.absolute().parents if p.exists())
            if not above.is_dir():
                return f"--out {out}: {above} is a file, not a directory"
            if not os.access(above, os.W_OK | os.X_OK):
                return f"--out {out}: cannot create it in {above} (permission denied)"
            return None
        if not os.access(out, os.R_OK | os.W_OK | os.X_OK):
            return f"--out {out}: cannot be used: permission denied"
        target = out.resolve()
        cwd = Path.cwd().resolve()
        if target == cwd or target in cwd.parents:
            return f"--out {out}: is (or contains) the current directory; choose another"
        for sc in inputs:
            for f in sc.files or ((sc.path,) if sc.path is not None else ()):
                if target in f.resolve().parents:
                    read_for = "" if f == sc.path else f" (read for {sc.path})"
                    return (f"--out {out}: contains the scenario file {f}{read_for}; "
                            "choose another")
        foreign = foreign_entries(out)
    except OSError as exc:
        return f"--out {out}: cannot be used: {exc.strerror or exc}"
    if not foreign:
        return None
    shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                      else "")
    if (out / MARKER).is_file() and not (out / LISTING).is_file():
        return (f"--out {out}: an output of an older enforcecost, which did not list the "
                "files it wrote, so it cannot be replaced safely; remove it or choose another")
    if (out / LISTING).is_file():
        return (f"--out {out}: holds files that the earlier enforcecost output did not write "
                f"or that changed since ({shown}); move them away or choose another")
    return (f"--out {out}: exists and is not an enforcecost output directory (it holds "
            f"{shown}); choose another or remove it")


def _out_failure(out: Path, exc: OSError, debug: bool) -> int:
    """Report an output directory that could not be written (exit code 1)."""
    if debug:
        traceback.print_exc()
    if isinstance(exc, ForeignFilesError):
        _err(f"{_PROG}: --out {out}: not replaced: it {exc.reason}")
        return 1
    _err(f"{_PROG}: cannot write the output directory {out}: {exc}")
    return 1


def _leftover(message: str) -> None:
    _err(f"{_PROG}: warning: {message}")


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=not isinstance(frame.index, pd.RangeIndex))


def _manifest(
    argv_line: str, bases: Sequence[str], done: Sequence[_Done], ledger_draws: bool
) -> str:
    lines = [
        f"{_PROG} {__version__}",
        f"command: {argv_line}",
        f"bases: {', '.join(bases)}",
        "scenarios:",
    ]
    for d in done:
        res, plan = d.result, d.plan
        path = res.scenario.path if res.scenario.path is not None else "<code>"
        lines.append(f"  {d.ident}: {path} ({res.scenario.name})")
        if plan.monte_carlo:
            how = run_description(res, sampler=plan.sampler, seed=plan.seed)
            lines.append(f"    run: Monte Carlo, {how.removeprefix('means of ')}")
            if ledger_draws:
                lines.append("    ledger_<basis>.csv: every draw (column 'draw')")
            else:
                lines.append("    ledger_<basis>.csv: means over draws (--ledger-draws for "
                             "every draw)")
        else:
            why = f" ({plan.why_central})" if plan.why_central else ""
            lines.append(f"    run: central values{why}")
            lines.append("    ledger_<basis>.csv: the central values' ledger")
        lines += [f"    precision note: {n}" for n in d.notes]
    return "\n".join(lines) + "\n"


def _cmd_run(args: argparse.Namespace) -> int:
    bases: list[Basis] = list(dict.fromkeys(args.basis or BASES))
    option_problems = _run_option_problems(args)
    loaded, problems, invalid = _load_all(args.paths)
    total = invalid + len(loaded)
    if not option_problems:
        limits = _limit_problems(loaded, args)
        problems += limits
        invalid += len(limits)
    out: Path = args.out
    out_problem = _check_out(out, [sc for _, sc in loaded])
    if problems or out_problem or option_problems:
        if problems:
            _report_invalid(problems, invalid, total, "nothing was run or written")
        for p in [*option_problems, *([out_problem] if out_problem else [])]:
            _err(f"{_PROG}: {p}")
        return 2

    done: list[_Done] = []
    argv_line = " ".join([_PROG, *args.argv])
    note = "Not estimated: {n} non-monetized effect{s} (listed in {ident}/nonmonetized.csv)."
    backend = using_backend(workers=args.workers, scheduler=args.scheduler)
    try:
        with backend as where, atomic_directory(out, on_leftover=_leftover) as tmp:
            for entry, sc in loaded:
                plan = _plan(sc, args)
                with _bar(args, plan.draws if plan.monte_carlo else 0, entry.ident,
                          "draw") as bar:
                    res = _evaluate(sc, plan, bar, where)
                folder = tmp / entry.ident
                folder.mkdir()
                text = None
                with _precision_notes() as notes:
                    frames = result_frames(res, bases, ledger_draws=args.ledger_draws)
                    if not args.quiet:
                        n = len(res.nonmonetized())
                        footnote = note.format(n=n, s="s" if n != 1 else "", ident=entry.ident)
                        text = render_result(res, bases[0], footnote=footnote,
                                             sampler=plan.sampler, seed=plan.seed)
                for name, frame in frames.items():
                    _write_csv(frame, folder / name)
                if not args.no_report:
                    with _precision_notes():
                        write_report(
                            res, folder, command=argv_line,
                            sampler=plan.sampler if plan.monte_carlo else None,
                            seed=plan.seed if plan.monte_carlo else None,
                        )
                done.append(_Done(entry.ident, res, plan, tuple(notes[:1])))
                if text is not None:
                    _out(text + "\n")
                if notes and not args.quiet:
                    _err(f"{_PROG}: note: {entry.ident}: {notes[0]}")
            _write_csv(summary_frame([(d.ident, d.result) for d in done], bases),
                       tmp / "summary.csv")
            if not args.no_report and len(done) > 1:
                (tmp / "comparison").mkdir()
                with _precision_notes():
                    write_comparison([(d.ident, d.result) for d in done], tmp / "comparison")
            (tmp / MARKER).write_text(_manifest(argv_line, bases, done, args.ledger_draws),
                                      encoding="utf-8")
    except ConnectionError:  # the Dask scheduler, not the output directory
        raise
    except OSError as exc:
        return _out_failure(out, exc, args.debug)
    if not args.quiet:
        _err(f"{_PROG}: wrote {len(done)} scenario{'s' if len(done) != 1 else ''} to {out}")
    return 0


# -- sensitivity -----------------------------------------------------------------------------
def _sensitivity_problems(args: argparse.Namespace, sc: Scenario | None) -> list[str]:
    """Every problem with the options of ``sensitivity`` (``sc``: the scenario, if valid)."""
    problems = []
    method = args.method
    if args.n is not None and method != "sobol":
        problems.append(f"--n: applies to --method sobol only, not {method}")
    if args.trajectories is not None and method != "morris":
        problems.append(f"--trajectories: applies to --method morris only, not {method}")
    if args.seed is not None and method == "tornado":
        problems.append("--seed: applies to --method morris and sobol only (tornado has no "
                        "randomness)")
    if method == "sobol" and args.n is not None:
        per = args.n // _SOBOL_REPLICATES
        if args.n % _SOBOL_REPLICATES or per < 2 or per & (per - 1):
            problems.append(f"--n {args.n}: must be {_SOBOL_REPLICATES} times a power of 2, "
                            "at least 32 (e.g. 256, 1024, 4096)")
    if args.trajectories is not None and args.trajectories < 2:
        problems.append(f"--trajectories {args.trajectories}: must be a whole number >= 2")
    if args.seed is not None and args.seed < 0:
        problems.append(f"--seed {args.seed}: must be a whole number >= 0")
    if args.top < 1:
        problems.append(f"--top {args.top}: must be a whole number >= 1")
    problems += _parallel_problems(args)
    provision_ok = True
    if args.provision is not None and args.provision not in PROVISIONS:
        provision_ok = False
        problems.append(f"--provision {args.provision}: unknown provision"
                        f"{_suggest(args.provision, PROVISIONS)}; one of {', '.join(PROVISIONS)}")
    if sc is None:
        return problems
    last = sc.start_year + sc.years - 1
    if args.years is not None and not 1 <= args.years <= sc.years:
        problems.append(f"--years {args.years}: must be from 1 to {sc.years} (the window "
                        f"FY{sc.start_year}-FY{last})")
    if args.year is not None and not sc.start_year <= args.year <= last:
        problems.append(f"--year {args.year}: must be a fiscal year of the window "
                        f"{sc.start_year}-{last}")
    costed = list(sc.provisions)
    if sc.baseline is not None:
        costed += [p for p in sc.baseline.provisions if p not in costed]
    if args.provision is not None and provision_ok and args.provision not in costed:
        provision_ok = False
        problems.append(f"--provision {args.provision}: not costed in this scenario (it costs "
                        f"{', '.join(costed)})")
    if not uncertain_inputs(sc):
        problems.append(f"{args.path}: the scenario has no uncertain inputs to analyse")
    elif provision_ok and args.output not in perspectives_with_lines(evaluate(sc),
                                                                      args.provision):
        of = f" of provision {args.provision}" if args.provision else ""
        problems.append(f"--output {args.output}: the scenario books no {args.output} "
                        f"lines{of}; nothing to explain")
    return problems


def _planned_runs(sc: Scenario, args: argparse.Namespace) -> int:
    """Model runs a sensitivity study will make (for the progress bar)."""
    names = uncertain_inputs(sc)
    d = len(names)
    if args.method == "tornado":
        return 2 * d + 1
    if args.method == "morris":
        return (args.trajectories or _TRAJECTORIES) * (d + 1)
    reg = registry()
    runs = 0
    for attr in ("provision", "source_kind"):
        sizes = pd.Series([getattr(reg[n], attr) for n in names]).value_counts()
        runs += (d + int((sizes >= 2).sum()) + 2) * (args.n or _SOBOL_N)
    return runs


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    problems: list[str] = []
    sc: Scenario | None = None
    if Path(args.path).is_dir():
        problems.append(f"{args.path}: is a directory; sensitivity takes one scenario file")
    else:
        try:
            sc = load_scenario(args.path)
        except ScenarioError as exc:
            problems.append(str(exc))
    option_problems = _sensitivity_problems(args, sc)
    out: Path = args.out
    out_problem = _check_out(out, [sc] if sc is not None else [])
    if problems or option_problems or out_problem:
        for p in problems:
            _err(p)
        for p in [*option_problems, *([out_problem] if out_problem else [])]:
            _err(f"{_PROG}: {p}")
        _err(f"{_PROG}: nothing was run or written")
        return 2
    assert sc is not None

    years: int | tuple[int, ...] | None = (args.year,) if args.year is not None else args.years
    output = Output(perspective=args.output, basis=args.basis, years=years,
                    provision=args.provision)
    seed = sc.run.seed if args.seed is None else args.seed
    ident = Path(args.path).stem if Path(args.path).is_file() else args.path.replace("/", "_")
    frames: dict[str, pd.DataFrame] = {}
    details = [f"method: {args.method}"]
    with _stage(args, f"{args.method} ({ident})", _planned_runs(sc, args)):
        if args.method == "tornado":
            t = tornado(sc, output, workers=args.workers, scheduler=args.scheduler)
            frames["tornado.csv"] = t.to_frame()
            text = render_tornado(t, top=args.top)
            details.append(f"central value: {t.base!r} dollars")
            details.append(f"model runs: {2 * len(t.frame) + 1}")
        elif args.method == "morris":
            m = morris(sc, output, trajectories=args.trajectories or _TRAJECTORIES, seed=seed,
                       workers=args.workers, scheduler=args.scheduler)
            frames["morris.csv"] = m.to_frame()
            text = render_morris(m, top=args.top)
            details.append(f"trajectories: {m.result.trajectories}, levels: {m.result.levels}, "
                           f"seed: {seed}")
            details.append(f"model runs: {m.result.evaluations}")
        else:
            so = sobol(sc, output, n=args.n or _SOBOL_N, seed=seed, workers=args.workers,
                       scheduler=args.scheduler)
            frames["sobol.csv"] = so.to_frame()
            frames["sobol_by_provision.csv"] = so.by_provision()
            frames["sobol_by_source_kind.csv"] = so.by_source_kind()
            text = render_sobol(so, top=args.top)
            runs = so.result.evaluations + (so.by_source.evaluations if so.by_source else 0)
            details.append(f"n: {so.result.n}, replicates: {so.result.replicates}, "
                           f"seed: {seed}")
            details.append(f"model runs: {runs}")
            details.append(f"assumptions: {assumption_share(so)}")
    try:
        with atomic_directory(out, on_leftover=_leftover) as tmp:
            for name, frame in frames.items():
                _write_csv(frame, tmp / name)
            path = sc.path if sc.path is not None else "<code>"
            manifest = [
                f"{_PROG} {__version__}",
                f"command: {' '.join([_PROG, *args.argv])}",
                f"scenario: {path} ({sc.name})",
                f"output: {output.label(sc)}",
                *details,
                f"files: {', '.join(frames)}",
            ]
            (tmp / MARKER).write_text("\n".join(manifest) + "\n", encoding="utf-8")
    except OSError as exc:
        return _out_failure(out, exc, args.debug)
    if not args.quiet:
        _out(f"{sc.name}\n{text}\n")
        _err(f"{_PROG}: wrote {', '.join(frames)} to {out}")
    return 0


# -- validate ------------------------------------------------------------------------------
def _cmd_validate(args: argparse.Namespace) -> int:
    loaded, problems, invalid = _load_all(args.paths)
    for entry, sc in loaded:
        _out(f"ok: {entry.ref} ({sc.name})")
    if problems:
        _report_invalid(problems, invalid, invalid + len(loaded), "see the problems above")
        return 2
    return 0


# -- params --------------------------------------------------------------------------------
def _cmd_params(args: argparse.Namespace) -> int:
    frame = parameters()
    if args.provision:
        frame = frame[frame["provision"] == args.provision]
    if args.kind:
        frame = frame[frame["source_kind"] == args.kind]
    if args.csv:
        text = frame.to_csv()
        if args.csv == "-":
            _out(text.rstrip("\n"))
        else:
            try:
                atomic_write_text(args.csv, text)
            except OSError as exc:
                _err(f"{_PROG}: cannot write {args.csv}: {exc}")
                return 1
            _err(f"{_PROG}: wrote {len(frame)} parameters to {args.csv}")
        return 0
    if frame.empty:
        _err(f"{_PROG}: no parameters match")
        return 0
    width = shutil.get_terminal_size(fallback=(100, 24)).columns
    _out(render_registry(frame, width=width))
    return 0


# -- entry point -----------------------------------------------------------------------------
class _Terminated(BaseException):
    """SIGTERM or SIGHUP, turned into an exception so that cleanup code runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _orderly_exit() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP raise :class:`_Terminated` (main thread)."""
    pid = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != pid:  # a forked worker: die as the signal says
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise _Terminated(signum)

    saved = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                saved[getattr(signal, name)] = signal.signal(getattr(signal, name), stop)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def _stopped(what: str, exc: BaseException) -> None:
    notes = " ".join(getattr(exc, "__notes__", []))
    _err(f"{_PROG}: {what}" + (f" {notes}" if notes else ""))


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _err(str(code))
    return 1


def main(argv: list[str] | None = None) -> int:
    """Run the ``enforcecost`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 ok, 2 invalid input, 1 the run failed.

    Examples
    --------
    >>> main(["validate", "eo13768"])  # doctest: +SKIP
    ok: eo13768 (EO 13768, full implementation)
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a bad argument (2)
        return _exit_code(exc.code)
    args.argv = argv
    command: Callable[[argparse.Namespace], int] = args.func
    # The command owns its process: let the allocator reuse the model's mid-sized
    # arrays instead of faulting fresh pages in for every block (a quarter less CPU).
    tune_malloc()
    try:
        with _orderly_exit():
            return command(args)
    except ScenarioError as exc:  # a user's mistake found late: no traceback
        _err(str(exc))
        return 2
    except (ConnectionError, DaskMissingError) as exc:  # where blocks run: no traceback
        _err(f"{_PROG}: {exc}")
        return 1
    except KeyboardInterrupt as exc:
        _stopped("interrupted", exc)
        return 130
    except _Terminated as exc:  # the output directory's work files are already removed
        _stopped(f"terminated by {exc}", exc)
        return 128 + exc.signum
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        _err(f"{_PROG}: internal error: {type(exc).__name__}: {exc}")
        debug = "" if args.debug else " (rerun with --debug to see the traceback)"
        _err(_BUG_HINT.format(version=__version__, debug=debug))
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
