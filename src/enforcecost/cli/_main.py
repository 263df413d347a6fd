"""The command's entry point: the parser of every subcommand, and exit codes."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable

from .._version import __version__
from ..backends import DaskMissingError, tune_malloc
from ..errors import ScenarioError
from . import _hindcast, _params, _run, _sensitivity, _series, _validate
from ._console import PROG, err
from ._outdir import Terminated, orderly_exit
from ._parser import common

__all__ = ["build_parser", "main"]

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
  enforcecost params --rank eo13768              assumptions ranked by variance
  enforcecost series --role actual               what ICE and EOIR published
  enforcecost <command> --help                   options and examples of a command

exit codes: 0 ok, 2 invalid input, 1 the run failed (internal error or unwritable output)
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``enforcecost`` command (with its subcommands)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Fiscal-impact scenarios for EO 13768 (interior immigration enforcement,\n"
        "2017): cited parameters, uncertain inputs, CBO-style tables.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common(False)],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(title="commands", dest="command", required=True,
                                metavar="COMMAND")
    _run.add_parsers(sub)
    _sensitivity.add_parser(sub)
    _validate.add_parser(sub)
    _params.add_parser(sub)
    _series.add_parser(sub)
    _hindcast.add_parser(sub)
    return parser


def _stopped(what: str, exc: BaseException) -> None:
    notes = " ".join(getattr(exc, "__notes__", []))
    err(f"{PROG}: {what}" + (f" {notes}" if notes else ""))


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    err(str(code))
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
        with orderly_exit():
            return command(args)
    except ScenarioError as exc:  # a user's mistake found late: no traceback
        err(str(exc))
        return 2
    except (ConnectionError, DaskMissingError) as exc:  # where blocks run: no traceback
        err(f"{PROG}: {exc}")
        return 1
    except KeyboardInterrupt as exc:
        _stopped("interrupted", exc)
        return 130
    except Terminated as exc:  # the output directory's work files are already removed
        _stopped(f"terminated by {exc}", exc)
        return 128 + exc.signum
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        err(f"{PROG}: internal error: {type(exc).__name__}: {exc}")
        debug = "" if args.debug else " (rerun with --debug to see the traceback)"
        err(_BUG_HINT.format(version=__version__, debug=debug))
        return 1
