"""The output directory: whether it may be replaced, its failures, and the signals that
must leave it whole (the swap itself is :mod:`enforcecost.cli._atomic`'s)."""

from __future__ import annotations

import os
import signal
import threading
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..errors import Problem
from ..scenario import Scenario
from ._atomic import LISTING, ForeignFilesError, foreign_entries
from ._console import PROG, err, option_problem

__all__ = [
    "MARKER",
    "Terminated",
    "check_out",
    "leftover",
    "orderly_exit",
    "out_failure",
    "write_csv",
]

#: Written at the top of every ``run`` output directory; an existing directory
#: is only ever replaced if it is empty or carries this file.
MARKER = "enforcecost-run.txt"


def _why_not(out: Path, inputs: Sequence[Scenario]) -> str | None:
    """Why ``out`` must not be written (replaced), or None when it is safe to start."""
    try:
        if out.exists() and not out.is_dir():
            return "exists and is not a directory"
        if not out.exists():
            above = next(p for p in out.absolute().parents if p.exists())
            if not above.is_dir():
                return f"{above} is a file, not a directory"
            if not os.access(above, os.W_OK | os.X_OK):
                return f"cannot create it in {above} (permission denied)"
            return None
        if not os.access(out, os.R_OK | os.W_OK | os.X_OK):
            return "cannot be used: permission denied"
        target = out.resolve()
        cwd = Path.cwd().resolve()
        if target == cwd or target in cwd.parents:
            return "is (or contains) the current directory; choose another"
        for sc in inputs:
            for f in sc.files or ((sc.path,) if sc.path is not None else ()):
                if target in f.resolve().parents:
                    read_for = "" if f == sc.path else f" (read for {sc.path})"
                    return f"contains the scenario file {f}{read_for}; choose another"
        foreign = foreign_entries(out)
    except OSError as exc:
        return f"cannot be used: {exc.strerror or exc}"
    if not foreign:
        return None
    shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                      else "")
    if (out / MARKER).is_file() and not (out / LISTING).is_file():
        return ("an output of an older enforcecost, which did not list the files it wrote, "
                "so it cannot be replaced safely; remove it or choose another")
    if (out / LISTING).is_file():
        return (f"holds files that the earlier enforcecost output did not write or that "
                f"changed since ({shown}); move them away or choose another")
    return (f"exists and is not an enforcecost output directory (it holds {shown}); choose "
            "another or remove it")


def check_out(out: Path, inputs: Sequence[Scenario]) -> list[Problem]:
    """The problem with ``--out`` (none when it is safe to start).

    Parameters
    ----------
    out : Path
        The output directory, as given.
    inputs : sequence of Scenario
        The scenarios to run: ``out`` must not contain their files.

    Returns
    -------
    list of Problem
        Empty, or the one reason ``out`` must not be written (replaced).
    """
    why = _why_not(out, inputs)
    return [] if why is None else [option_problem("--out", why, out)]


def out_failure(out: Path, exc: OSError, debug: bool) -> int:
    """Report an output directory that could not be written (exit code 1)."""
    if debug:
        traceback.print_exc()
    if isinstance(exc, ForeignFilesError):
        err(f"{PROG}: --out {out}: not replaced: it {exc.reason}")
        return 1
    err(f"{PROG}: cannot write the output directory {out}: {exc}")
    return 1


def leftover(message: str) -> None:
    """Warn about work files that could not be removed (``on_leftover`` of the swap)."""
    err(f"{PROG}: warning: {message}")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV, its index only when it is not a plain row number."""
    frame.to_csv(path, index=not isinstance(frame.index, pd.RangeIndex))


# -- signals -------------------------------------------------------------------------------
class Terminated(BaseException):
    """SIGTERM or SIGHUP, turned into an exception so that cleanup code runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def orderly_exit() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP raise :class:`Terminated` (main thread)."""
    pid = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != pid:  # a forked worker: die as the signal says
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated(signum)

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
