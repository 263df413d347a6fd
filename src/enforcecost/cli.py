"""The ``enforcecost`` command: run, validate and inspect scenarios from the shell.

Exit codes: 0 success; 2 invalid input (a scenario problem, an unknown file, a
bad argument or output directory); 1 the run failed (an internal error, which
is a bug to report, or an output directory that could not be written).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__
from ._atomic import atomic_directory, atomic_write_text
from .errors import ScenarioError
from .model import evaluate
from .money import BASES, Basis
from .parameters import PROVISIONS, SOURCE_KINDS, parameters
from .results import Result
from .scenario import Scenario, load_scenario
from .tables import render_registry, render_result, result_frames, summary_frame

__all__ = ["MARKER", "build_parser", "main"]

#: Written at the top of every ``run`` output directory; an existing directory
#: is only ever replaced if it is empty or carries this file.
MARKER = "enforcecost-run.txt"

_PROG = "enforcecost"
_BUG_HINT = (
    "This is a bug in enforcecost {version}, not a problem with your input. Please report "
    "it with the command you ran and your scenario files{debug}."
)

_MAIN_EPILOG = """\
examples:
  enforcecost run scenarios/ --out out/          every shipped scenario, all bases
  enforcecost run scenarios/eo13768.toml --out out/ --basis real
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

Output (written all at once: DIR is replaced only when everything succeeded):
  DIR/summary.csv                    5-year and window totals, scenario x perspective
  DIR/enforcecost-run.txt            what was run, by which version
  DIR/<scenario>/table_<perspective>_<basis>.csv   CBO table, $ millions
  DIR/<scenario>/ledger_<basis>.csv, summary_<basis>.csv   dollars
  DIR/<scenario>/pipeline.csv (+ pipeline_baseline.csv), nonmonetized.csv,
  DIR/<scenario>/parameters_used.csv
<scenario> is the file's stem, or its path under a directory argument joined
with "_" (calibration/aaf_2015_low.toml -> calibration_aaf_2015_low).
An existing DIR is replaced only if it is empty or an earlier enforcecost output.

examples:
  enforcecost run scenarios/ --out out/
  enforcecost run scenarios/eo13768.toml my_variant.toml --out out/ --basis nominal pv
  enforcecost run scenarios/calibration/ --out calib/ --basis real --quiet
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
        help="evaluate scenarios: print CBO-style tables, write CSVs to --out",
        description="Evaluate scenario files and write their tables, ledgers and summaries.",
        epilog=_RUN_EPILOG,
        formatter_class=fmt,
        parents=[sub_parent],
    )
    run.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                     help="scenario files, directories of them, or shipped scenario names")
    run.add_argument("--out", "-o", required=True, type=Path, metavar="DIR",
                     help="output directory (created, or replaced as a whole)")
    run.add_argument("--basis", nargs="+", choices=BASES, metavar="BASIS",
                     help="dollar bases to write: nominal (then-year, the CBO convention), "
                     "real (constant dollar-year dollars), pv (discounted); default: all "
                     "three. The printed tables use the first one.")
    run.add_argument("--quiet", "-q", action="store_true",
                     help="print nothing but errors")
    run.set_defaults(func=_cmd_run)

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
    used = {"summary.csv", MARKER}  # the top-level files
    for e in entries:
        key = str(Path(e.ref).resolve()) if Path(e.ref).is_file() else e.ref
        if key in seen:
            continue
        seen.add(key)
        base = e.ident or "scenario"
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}_{n}"
        used.add(ident)
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


# -- run -----------------------------------------------------------------------------------
def _evaluate(sc: Scenario, args: argparse.Namespace) -> Result:
    """One scenario's result.

    Deterministic (central values) for now; a ``--draws`` option selects
    :func:`enforcecost.simulate` here, and every table below takes means over draws.
    """
    del args  # reserved for --draws, --seed, --sampler
    return evaluate(sc)


def _check_out(out: Path, inputs: Sequence[Scenario]) -> str | None:
    """Why ``out`` must not be written (replaced), or None when it is safe."""
    if out.exists() and not out.is_dir():
        return f"--out {out}: exists and is not a directory"
    if not out.exists():
        return None
    target = out.resolve()
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        return f"--out {out}: is (or contains) the current directory; choose another"
    for sc in inputs:
        for s in (sc, sc.baseline):
            if s is not None and s.path is not None and target in s.path.resolve().parents:
                return f"--out {out}: contains the scenario file {s.path}; choose another"
    if any(out.iterdir()) and not (out / MARKER).is_file():
        return (f"--out {out}: exists and is not an enforcecost output directory (no {MARKER});"
                " choose another or remove it")
    return None


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=not isinstance(frame.index, pd.RangeIndex))


def _manifest(argv_line: str, bases: Sequence[str], done: Sequence[tuple[str, Result]]) -> str:
    lines = [
        f"{_PROG} {__version__}",
        f"command: {argv_line}",
        f"bases: {', '.join(bases)}",
        "run: deterministic (central values)",
        "scenarios:",
    ]
    for ident, res in done:
        path = res.scenario.path if res.scenario.path is not None else "<code>"
        lines.append(f"  {ident}: {path} ({res.scenario.name})")
    return "\n".join(lines) + "\n"


def _cmd_run(args: argparse.Namespace) -> int:
    bases: list[Basis] = list(dict.fromkeys(args.basis or BASES))
    loaded, problems, invalid = _load_all(args.paths)
    total = invalid + len(loaded)
    out: Path = args.out
    out_problem = _check_out(out, [sc for _, sc in loaded])
    if problems or out_problem:
        if problems:
            _report_invalid(problems, invalid, total, "nothing was run or written")
        if out_problem:
            _err(f"{_PROG}: {out_problem}")
        return 2

    done: list[tuple[str, Result]] = []
    note = "Not estimated: {n} non-monetized effect{s} (listed in {ident}/nonmonetized.csv)."
    try:
        with atomic_directory(out) as tmp:
            for entry, sc in loaded:
                res = _evaluate(sc, args)
                folder = tmp / entry.ident
                folder.mkdir()
                for name, frame in result_frames(res, bases).items():
                    _write_csv(frame, folder / name)
                done.append((entry.ident, res))
                if not args.quiet:
                    n = len(res.nonmonetized())
                    footnote = note.format(n=n, s="s" if n != 1 else "", ident=entry.ident)
                    _out(render_result(res, bases[0], footnote=footnote) + "\n")
            _write_csv(summary_frame(done, bases), tmp / "summary.csv")
            argv_line = " ".join([_PROG, *args.argv])
            (tmp / MARKER).write_text(_manifest(argv_line, bases, done), encoding="utf-8")
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        _err(f"{_PROG}: cannot write the output directory {out}: {exc}")
        return 1
    if not args.quiet:
        _err(f"{_PROG}: wrote {len(done)} scenario{'s' if len(done) != 1 else ''} to {out}")
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
    try:
        return command(args)
    except ScenarioError as exc:  # a user's mistake found late: no traceback
        _err(str(exc))
        return 2
    except KeyboardInterrupt:
        _err(f"{_PROG}: interrupted")
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        _err(f"{_PROG}: internal error: {type(exc).__name__}: {exc}")
        debug = "" if args.debug else " (rerun with --debug to see the traceback)"
        _err(_BUG_HINT.format(version=__version__, debug=debug))
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
