"""Scenario files: reading TOML, following ``extends`` and ``baseline``, shipped scenarios.

A file names another in ``[scenario] extends`` (inherit its tables, this file's
keys winning) and ``[scenario] baseline`` (the scenario the impact is measured
against), relative to itself or as a shipped scenario's name. Both chains are
read without recursing deeper than :data:`MAX_DEPTH` files, and a cycle is a
problem, like any other, reported with every other problem at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError, suggest
from ..registry import registry
from ._appropriations import Appropriation, outlay_settings, parse_appropriations
from ._rules import RUN, SCENARIO, is_int
from ._settings import Setting, parse_setting, parse_settings
from ._types import RunConfig, Scenario

__all__ = ["MAX_DEPTH", "load_scenario", "shipped_scenarios"]

#: Longest chain of files a scenario may form through ``extends`` (the file
#: itself and the files it extends), and through ``baseline`` (a baseline's
#: own baseline, and so on): inheritance deeper than this is a mistake, and
#: the chain is read without recursing deeper than this.
MAX_DEPTH = 32
#: A ``[parameters]`` entry of this value takes the registry's value back, dropping what
#: a file it extends set (``i9_audits_per_year = "registry"``).
REGISTRY = "registry"
_TABLES = ("appropriations", "correlation", "parameters", "run", "scenario")


def _shipped_dir() -> Path:
    return Path(str(resources.files("enforcecost").joinpath("data/scenarios")))


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios shipped with the package, by name (``calibration/...`` included)."""
    root = _shipped_dir()
    return {
        p.relative_to(root).with_suffix("").as_posix(): p for p in sorted(root.rglob("*.toml"))
    }


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file, with what it extends and its baseline.

    Parameters
    ----------
    path : str or Path
        A TOML scenario file, or the name of a shipped scenario
        (``"eo13768"``, ``"calibration/aaf_2015_low"``; see :func:`shipped_scenarios`).

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem in the file, the files it extends and its baseline;
        including values whose ledger amounts could be non-finite or reach the
        exact-sum limit (:func:`enforcecost.model.magnitude_problems`).

    Examples
    --------
    >>> import enforcecost as ec
    >>> sc = ec.load_scenario("eo13768")
    >>> sc.baseline.name
    'Pre-order baseline (Priority Enforcement Program, FY2016)'
    """
    problems: list[Problem] = []
    scenario = _load(Path(path), problems, ())
    if scenario is not None and not problems:
        from ..model import magnitude_problems  # the model imports this package

        problems += magnitude_problems(scenario)
    if problems or scenario is None:
        raise ScenarioError(problems or [Problem(str(path), "", "could not be read")])
    return scenario


# -- finding and reading files -------------------------------------------------------------------
def _locate(ref: str, relative_to: Path | None) -> Path | None:
    """Find a referenced scenario: relative to the referring file, else a shipped name."""
    candidates = []
    if relative_to is not None:
        candidates.append(relative_to.parent / ref)
    candidates.append(Path(ref))
    shipped = shipped_scenarios()
    stem = ref[:-5] if ref.endswith(".toml") else ref
    if stem in shipped:
        candidates.append(shipped[stem])
    for c in candidates:
        if _is_file(c):
            return c
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False for names the OS refuses (too long, bad characters)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(Problem(str(path), "", "file not found"))
    except IsADirectoryError:
        problems.append(Problem(str(path), "", "is a directory, not a scenario file"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), "", f"not UTF-8 text: {exc.reason}"))
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(str(path), "", f"cannot be read: {exc.strerror}"))
    return None


def _tables(doc: dict[str, Any], where: str, problems: list[Problem]) -> dict[str, Any]:
    """The document's tables, checked: known names, and tables where tables belong."""
    for table in sorted(doc.keys() - set(_TABLES)):
        problems.append(
            Problem(where, f"[{table}]", "unknown table" + suggest(table, _TABLES)
                    + f"; a scenario file has {', '.join(_TABLES)}", ...)
        )
    tables: dict[str, Any] = {"scenario": {}, "parameters": {}, "run": {}, "appropriations": {}}
    for table in tables.keys() & doc.keys():
        if isinstance(doc[table], dict):
            tables[table] = doc[table]
        else:
            problems.append(Problem(where, f"[{table}]", "must be a table", doc[table]))
    if "correlation" in doc:
        entries = doc["correlation"]
        tables["correlation"] = entries if isinstance(entries, list) else [entries]
    return tables


# -- extends -------------------------------------------------------------------------------------
@dataclass
class _Raw:
    """A scenario file merged with what it extends, before checking the result."""

    scenario: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (spec, file)
    run: dict[str, Any] = field(default_factory=dict)
    baseline: tuple[str, Path] | None = None  # (reference, file it is written in)
    correlations: list[Any] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # this file and those it extends
    appropriations: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (spec, file)


def _collect(path: Path, problems: list[Problem], chain: tuple[Path, ...]) -> _Raw | None:
    where = str(path)
    if path.resolve() in chain:
        problems.append(
            Problem(where, "[scenario] extends", "extends itself (a cycle)",
                    " -> ".join(p.name for p in (*chain, path.resolve())))
        )
        return None
    doc = _read(path, problems)
    if doc is None:
        return None
    tables = _tables(doc, where, problems)
    sc, run = tables["scenario"], tables["run"]
    problems += SCENARIO.check(sc, where, "[scenario] ")
    problems += RUN.check(run, where, "[run] ")

    raw = _Raw()
    if isinstance(sc.get("extends"), str):
        parent_path = _locate(sc["extends"], path)
        files = (*chain, path.resolve())
        if parent_path is None:
            problems.append(
                Problem(where, "[scenario] extends",
                        "no such file (relative to this file) or shipped scenario", sc["extends"])
            )
        elif len(files) >= MAX_DEPTH and parent_path.resolve() not in files:
            # bounded: the chain is read no deeper than MAX_DEPTH files (no recursion error)
            problems.append(
                Problem(str(files[0]), "[scenario] extends",
                        f"the chain of files through 'extends' is longer than {MAX_DEPTH} "
                        f"files, the most allowed; it starts {_chain_head(files)}",
                        sc["extends"])
            )
        else:
            parent = _collect(parent_path, problems, files)
            if parent is not None:
                raw = parent
    raw.files.insert(0, path)
    raw.scenario.update(
        {k: v for k, v in sc.items() if k in SCENARIO.keys and k not in ("extends", "baseline")}
    )
    raw.run.update({k: v for k, v in run.items() if k in RUN.keys})
    for name, spec in tables["parameters"].items():
        if name in raw.parameters:  # overridden here, but the parent's value must be valid too
            parent_spec, parent_file = raw.parameters[name]
            problems += parse_setting(name, parent_spec, parent_file)[1]
        if spec == REGISTRY:  # back to the registry's value: drop what a parent set
            if name not in registry():  # reported as any unknown name is
                problems += parse_setting(name, spec, where)[1]
            raw.parameters.pop(name, None)
            continue
        raw.parameters[name] = (spec, where)
    if isinstance(sc.get("baseline"), str):
        raw.baseline = (sc["baseline"], path)
    if sc.get("compare_with") == "":  # none (a file extended may have named one)
        raw.scenario["compare_with"] = None
    elif isinstance(sc.get("compare_with"), str):  # resolved against this file
        other = _locate(sc["compare_with"], path)
        if other is None:
            problems.append(Problem(where, "[scenario] compare_with",
                                    "no such file (relative to this file) or shipped scenario",
                                    sc["compare_with"]))
        else:
            raw.scenario["compare_with"] = str(other.resolve())
    raw.correlations += tables.get("correlation", [])
    for name, spec in tables["appropriations"].items():
        raw.appropriations[name] = (spec, where)  # this file's table wins over a parent's
    return raw


def _appropriations(
    raw: _Raw, settings: dict[str, Setting], problems: list[Problem],
) -> tuple[Appropriation, ...]:
    """Resolve ``[appropriations]``; their outlays become the settings of their inputs."""
    found: list[Appropriation] = []
    by_file: dict[str, dict[str, Any]] = {}
    for name, (spec, where) in raw.appropriations.items():
        by_file.setdefault(where, {})[name] = spec
    for where, tables in by_file.items():
        apps, bad = parse_appropriations(tables, where)
        found += apps
        problems += bad
    start = raw.scenario.get("start_year", Scenario.start_year)
    years = raw.scenario.get("years", Scenario.years)
    if not found or not (is_int(start) and is_int(years)):
        return tuple(found)
    where = str(raw.files[0])
    for name, schedule in outlay_settings(tuple(found), start, years).items():
        if name in settings:
            problems.append(Problem(where, f"[parameters] {name}",
                                    "is set by the [appropriations] tables: set one or "
                                    "the other", None))
            continue
        settings[name] = Setting(1.0, None, "nominal", where, schedule)
    return tuple(found)


def _chain_head(files: Sequence[Path], shown: int = 3) -> str:
    """The first files of a chain, for a message: ``a.toml -> b.toml -> c.toml -> ...``."""
    names = [str(f) for f in files[:shown]]
    return " -> ".join(names + (["..."] if len(files) > shown else []))


# -- baseline ------------------------------------------------------------------------------------
def _load(path: Path, problems: list[Problem], baselines: tuple[Path, ...]) -> Scenario | None:
    if not _is_file(path):
        located = _locate(str(path), None)
        if located is None and _is_dir(path):
            problems.append(Problem(str(path), "", "is a directory, not a scenario file"))
            return None
        if located is None:
            problems.append(
                Problem(str(path), "", "file not found (nor a shipped scenario: "
                        + ", ".join(shipped_scenarios()) + ")")
            )
            return None
        path = located
    n_before = len(problems)
    raw = _collect(path, problems, ())
    if raw is None:
        return None
    settings, found = parse_settings(raw.parameters)
    problems += found
    appropriations = _appropriations(raw, settings, problems)
    baseline = _baseline(raw, path, problems, baselines)
    if "name" not in raw.scenario:
        problems.append(Problem(str(path), "[scenario] name", "required"))
    if len(problems) > n_before:
        return None
    kwargs: dict[str, Any] = dict(raw.scenario)
    if "discount_rate" in kwargs:
        kwargs["discount_rate"] = float(kwargs["discount_rate"])
    if "provisions" in kwargs:
        kwargs["provisions"] = tuple(kwargs["provisions"])
    try:
        return Scenario(
            **kwargs,
            parameters=settings,
            baseline=baseline,
            run=RunConfig(**raw.run),
            path=path,
            correlations=raw.correlations,
            appropriations=appropriations,
            files=(*raw.files, *(baseline.files if baseline is not None else ())),
        )
    except ScenarioError as exc:  # pragma: no cover - every rule is checked above
        problems.extend(exc.problems)
        return None


def _baseline(
    raw: _Raw, path: Path, problems: list[Problem], baselines: tuple[Path, ...]
) -> Scenario | None:
    """The baseline ``raw`` names, read with its own (``baselines``: those read so far)."""
    if raw.baseline is None:
        return None
    ref, written_in = raw.baseline
    base_path = _locate(ref, written_in)
    if base_path is None:
        problems.append(
            Problem(str(written_in), "[scenario] baseline",
                    "no such file (relative to this file) or shipped scenario", ref)
        )
    elif base_path.resolve() in (*baselines, path.resolve()):
        problems.append(
            Problem(str(written_in), "[scenario] baseline",
                    "a scenario cannot be its own baseline (a cycle)", ref)
        )
    elif len(baselines) + 1 >= MAX_DEPTH:
        files = (*baselines, path.resolve())
        problems.append(
            Problem(str(files[0]), "[scenario] baseline",
                    f"the chain of baselines (a baseline's baseline, ...) is longer than "
                    f"{MAX_DEPTH} files, the most allowed; it starts {_chain_head(files)}",
                    ref)
        )
    else:
        return _load(base_path, problems, (*baselines, path.resolve()))
    return None
