"""The ``enforcecost`` command: run, validate and inspect scenarios from the shell.

Exit codes: 0 success; 2 invalid input (a scenario problem, an unknown file, a
bad argument or output directory); 1 the run failed (an internal error, which
is a bug to report, or an output directory that could not be written).

One module per command (``_run``: run and report, ``_sensitivity``,
``_validate``, ``_params``), around shared parts: ``_parser`` (common options),
``_console`` (output, errors, progress bars), ``_outdir`` (the output
directory's checks and the signals around its swap), ``_inputs`` (the scenario
files named) and ``_main`` (the parser and exit codes).
"""

from __future__ import annotations

from ._main import build_parser, main
from ._outdir import MARKER

__all__ = ["MARKER", "build_parser", "main"]
