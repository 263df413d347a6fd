"""Options every command shares: ``--debug``, where blocks run, the subcommand's layout."""

from __future__ import annotations

import argparse
from typing import Any

from ..backends import backend_env_problem
from ..errors import Problem
from ._console import option_problem

__all__ = ["add_command", "common", "parallel_options", "parallel_problems"]


def common(debug_default: object) -> argparse.ArgumentParser:
    """The parent parser of ``--debug`` (``argparse.SUPPRESS``: a subcommand's copy)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--debug",
        action="store_true",
        default=debug_default,
        help="show the traceback of an internal error",
    )
    return parent


def add_command(sub: Any, name: str, *, help: str, description: str, epilog: str,
                ) -> argparse.ArgumentParser:
    """A subcommand with its help, description and epilog (kept as written) and ``--debug``.

    Parameters
    ----------
    sub : argparse subparsers action
        From :meth:`argparse.ArgumentParser.add_subparsers`.
    name, help, description, epilog : str

    Returns
    -------
    argparse.ArgumentParser
    """
    # Subcommands take --debug too; SUPPRESS keeps them from resetting the top-level value.
    cmd: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common(argparse.SUPPRESS)],
    )
    return cmd


def parallel_options(cmd: argparse.ArgumentParser, what: str) -> None:
    """``--workers N`` or ``--scheduler ADDRESS``: where blocks of ``what`` run."""
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N",
                       help=f"run blocks of {what} on N local processes. Default: one per core "
                       "when the run is large enough to gain from it, else this process "
                       "(environment variable ENFORCECOST_BACKEND=inprocess, processes or "
                       "auto sets the default). Results are identical wherever blocks run")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help=f"run blocks of {what} on a Dask cluster, e.g. tcp://host:8786 "
                       "(pip install 'enforcecost[dask]')")


def parallel_problems(args: argparse.Namespace) -> list[Problem]:
    """The problems with ``--workers`` and the environment variable ``ENFORCECOST_BACKEND``
    (which the studies of a report read even with ``--workers``), if any."""
    problems = []
    if args.workers is not None and args.workers < 1:
        problems.append(option_problem("--workers", "must be a whole number >= 1", args.workers))
    env = backend_env_problem()
    if env is not None:
        name, rule = env.split(" ", 1)
        problems.append(option_problem(f"environment variable {name}", rule))
    return problems
