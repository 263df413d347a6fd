"""What the command prints: results, errors, problems with options, progress bars, notes."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Never

from tqdm import tqdm

from ..errors import Problem
from ..results import PrecisionWarning
from ._atomic import atomic_write_text

__all__ = [
    "COMMAND_LINE",
    "PROG",
    "bar",
    "err",
    "option_problem",
    "out",
    "precision_notes",
    "report_invalid",
    "report_options",
    "stage",
    "write_table_text",
]

PROG = "enforcecost"
#: The ``file`` of a :class:`~enforcecost.errors.Problem` with an option or argument.
COMMAND_LINE = "command line"


def err(text: str) -> None:
    """Print to stderr."""
    print(text, file=sys.stderr)


def out(text: str) -> None:
    """Print to stdout; a closed pipe (``| head``) silences the rest instead of failing."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # not a real file descriptor (e.g. captured)
            pass


def option_problem(key: str, rule: str, value: object = ...) -> Problem:
    """A problem with the option (or argument) ``key`` of the command line.

    Parameters
    ----------
    key : str
        The option as typed (``'--draws'``), or the argument itself.
    rule : str
        The rule broken (``'must be a whole number >= 0'``).
    value : object, optional
        The value given, shown after the option (none: the option alone).

    Returns
    -------
    Problem
    """
    return Problem(COMMAND_LINE, key, rule, value)


def _option_line(problem: Problem) -> str:
    """``'enforcecost: --seed -1: must be ...'``: the option as typed, then the rule."""
    given = problem.key if problem.value is ... else f"{problem.key} {problem.value}"
    return f"{PROG}: {given}: {problem.rule}"


def report_options(problems: Sequence[Problem]) -> None:
    """Print each problem with an option on stderr, one line each."""
    for p in problems:
        err(_option_line(p))


def report_invalid(problems: Sequence[str], invalid: int, total: int, what: str) -> None:
    """Print the problems of the input files, then how many were invalid and ``what`` now."""
    for p in problems:
        err(p)
    err(f"{PROG}: {invalid} of {total} input{'s' if total != 1 else ''} invalid; {what}")


# -- progress and notes --------------------------------------------------------------------
def _show_progress(args: argparse.Namespace) -> bool:
    """A progress bar only for a person watching: stderr a terminal, and no --quiet."""
    isatty = getattr(sys.stderr, "isatty", None)
    return not args.quiet and callable(isatty) and bool(isatty())


def bar(args: argparse.Namespace, total: int, desc: str, unit: str) -> tqdm[Never]:
    """A tqdm bar on stderr that disappears when done (disabled when not shown)."""
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False,
                file=sys.stderr, dynamic_ncols=True, disable=not _show_progress(args))


@contextmanager
def stage(args: argparse.Namespace, desc: str, runs: int) -> Iterator[None]:
    """A bar for one computation that reports no progress of its own: it fills when the
    block ends, and its elapsed time is refreshed meanwhile."""
    with bar(args, runs, desc, "run") as shown:
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(0.5):
                shown.refresh()

        ticker = None if shown.disable else threading.Thread(target=tick, daemon=True)
        if ticker is not None:
            ticker.start()
        try:
            yield
            shown.update(runs)
        finally:
            stop.set()
            if ticker is not None:
                ticker.join()


@contextmanager
def precision_notes() -> Iterator[list[str]]:
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


def write_table_text(text: str, target: str, what: str) -> int:
    """Write a command's CSV ``text`` to ``target`` (``'-'``: standard output).

    Parameters
    ----------
    text : str
        The CSV.
    target : str
        A file path, or ``'-'``.
    what : str
        What was written, for the message (``'81 parameters'``).

    Returns
    -------
    int
        The exit code: 0, or 1 when the file cannot be written (said on stderr).
    """
    if target == "-":
        out(text.rstrip("\n"))
        return 0
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        err(f"{PROG}: cannot write {target}: {exc}")
        return 1
    err(f"{PROG}: wrote {what} to {target}")
    return 0
