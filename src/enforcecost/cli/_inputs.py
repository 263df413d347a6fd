"""The scenario files named on the command line, loaded, with every problem found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ScenarioError
from ..scenario import Scenario, load_scenario
from ._atomic import LISTING
from ._outdir import MARKER

__all__ = ["Entry", "load_all"]


@dataclass(frozen=True)
class Entry:
    """A scenario file to load and the name of its output directory."""

    ref: str  # path or shipped name, as given to load_scenario
    ident: str


def _expand(args: Sequence[str]) -> tuple[list[Entry], list[str]]:
    """Scenario files named by the arguments, and messages for directories without any."""
    entries: list[Entry] = []
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
                entries.append(Entry(str(p), ident))
        elif path.is_file():
            entries.append(Entry(arg, path.stem))
        else:  # a shipped scenario's name, or a missing file load_scenario reports
            stem = arg[:-5] if arg.endswith(".toml") else arg
            entries.append(Entry(arg, stem.replace("\\", "/").strip("/").replace("/", "_")))
    unique: list[Entry] = []
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
        unique.append(Entry(e.ref, ident))
    return unique, problems


def load_all(args: Sequence[str]) -> tuple[list[tuple[Entry, Scenario]], list[str], int]:
    """Load every scenario named by ``args`` (files, directories, shipped names).

    Returns
    -------
    loaded : list of (Entry, Scenario)
        The valid ones, each with its output directory's name.
    problems : list of str
        Every problem of every invalid file (and directories without any).
    invalid : int
        How many inputs were invalid.
    """
    entries, problems = _expand(args)
    loaded: list[tuple[Entry, Scenario]] = []
    invalid = len(problems)
    for e in entries:
        try:
            loaded.append((e, load_scenario(e.ref)))
        except ScenarioError as exc:
            problems.append(str(exc))
            invalid += 1
    return loaded, problems, invalid
