"""One manifest of a run: what is needed to rerun it, rendered as JSON or as text.

:func:`run_manifest` gathers the data once (versions, command, and per
scenario its files with their SHA-256, window, run description, draws, seed,
sampler, precision notes and every resolved input); :class:`RunManifest`
renders it as the JSON a report writes next to each scenario
(``<scenario>/manifest.json``) and as the text the command line writes at the
top of a run directory (``enforcecost-run.txt``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..results import Result
from ..scenario import Scenario, Schedule, modified_words, schedule_values
from ..vocab import BASES
from ._labels import run_description

__all__ = ["RunManifest", "ScenarioRecord", "manifest", "run_manifest", "scenario_record"]

_PROG = "enforcecost"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(scenario: Scenario) -> dict[str, str]:
    """Hashes of every file the scenario was read from (its baseline's included)."""
    out: dict[str, str] = {}
    for sc in (scenario, scenario.baseline):
        if sc is None:
            continue
        sources = {s.source for s in sc.settings().values() if s.source != "registry"}
        if sc.path is not None:
            sources.add(str(sc.path))
        for src in sorted(sources):
            p = Path(src)
            if p.is_file():
                out[str(p)] = _sha256(p)
    return out


def _in_window(schedule: Schedule, first: int, last: int) -> dict[str, float]:
    """A schedule as it applies to fiscal years ``first`` to ``last``: the value in force
    at ``first``, then the years listed inside the window (the same values, by the step
    rule). A registry schedule may start after a window or run past it (the 2025 fees'
    amounts in an FY2017 scenario); a scenario file's may not, and this form reruns."""
    inside = {str(y): v for y, v in schedule if first < y <= last}
    return {str(first): float(schedule_values(schedule, [first])[0]), **inside}


def _settings(scenario: Scenario, first: int, last: int) -> dict[str, Any]:
    return {
        name: {
            "value": s.value,
            "dollar_year": s.dollar_year,
            "distribution": s.dist.to_spec() if s.dist is not None else None,
            "by_year": None if s.schedule is None else _in_window(s.schedule, first, last),
            "set_in": s.source,
        }
        for name, s in scenario.settings().items()
    }


def _versions() -> dict[str, str]:
    import matplotlib  # only its version, on use: the text tables do without it

    return {
        "enforcecost": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "matplotlib": matplotlib.__version__,
    }


@dataclass(frozen=True)
class ScenarioRecord:
    """One scenario of a run, as the manifests record it.

    Attributes
    ----------
    ident : str
        Its name in the run (its output directory); empty outside a batch run.
    name, path, baseline : str, str or None, str or None
        The scenario's name, the file it was read from and its baseline's name.
    modified_in_code : tuple of str
        What was changed in code since that file was read
        (:attr:`~enforcecost.Scenario.modified`; empty when nothing was): the
        file alone does not rerun such a scenario, its ``parameters`` do.
    baseline_modified_in_code : tuple of str
        The same of its baseline.
    start_year, years, dollar_year : int
    discount_rate : float
    provisions : tuple of str
    files_sha256 : mapping of str to str
        Every file the scenario (and its baseline) was read from, with its SHA-256.
    monte_carlo : bool
    draws : int
    seed : int or None
    sampler : str or None
    description : str
        :func:`~enforcecost.report.run_description` of the result.
    why_central : str
        Why a scenario asking for draws ran its central values (empty otherwise).
    precision_notes : tuple of str
        Notes on too few draws for the percentiles.
    parameters : mapping
        ``{'policy': ..., 'baseline': ...}``: every input's resolved setting.
    """

    ident: str
    name: str
    path: str | None
    baseline: str | None
    start_year: int
    years: int
    dollar_year: int
    discount_rate: float
    provisions: tuple[str, ...]
    files_sha256: Mapping[str, str]
    monte_carlo: bool
    draws: int
    seed: int | None
    sampler: str | None
    description: str
    why_central: str
    precision_notes: tuple[str, ...]
    parameters: Mapping[str, Any]
    modified_in_code: tuple[str, ...] = ()
    baseline_modified_in_code: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The file with what was changed in code since it was read: ``'<path>,
        modified in code: x'``, or ``'<code>'`` for a scenario built in code."""
        if self.path is None:
            return "<code>"
        return self.path + modified_words(self.modified_in_code)


def scenario_record(
    res: Result,
    ident: str = "",
    *,
    sampler: str | None = None,
    seed: int | None = None,
    why_central: str = "",
    notes: Sequence[str] = (),
) -> ScenarioRecord:
    """What the manifests record of one result (this hashes the scenario's files).

    Parameters
    ----------
    res : Result
    ident : str
        The scenario's name in a batch run (its output directory).
    sampler, seed : optional
        How a Monte Carlo result was drawn (a :class:`~enforcecost.Result`
        does not record them).
    why_central : str
        Why a scenario asking for draws ran its central values.
    notes : sequence of str
        Precision notes on the result.

    Returns
    -------
    ScenarioRecord
    """
    sc = res.scenario
    return ScenarioRecord(
        ident=ident,
        name=sc.name,
        path=str(sc.path) if sc.path else None,
        baseline=sc.baseline.name if sc.baseline is not None else None,
        start_year=sc.start_year,
        years=sc.years,
        dollar_year=sc.dollar_year,
        discount_rate=sc.discount_rate,
        provisions=tuple(sc.provisions),
        files_sha256=_files(sc),
        monte_carlo=not res.deterministic,
        draws=res.draws,
        seed=seed,
        sampler=sampler,
        description=run_description(res, sampler=sampler, seed=seed),
        why_central=why_central,
        precision_notes=tuple(notes),
        parameters={  # the baseline is evaluated over the policy's window
            "policy": _settings(sc, sc.start_year, sc.start_year + sc.years - 1),
            "baseline": (_settings(sc.baseline, sc.start_year, sc.start_year + sc.years - 1)
                         if sc.baseline is not None else None),
        },
        modified_in_code=sc.modified,
        baseline_modified_in_code=sc.baseline.modified if sc.baseline is not None else (),
    )


@dataclass(frozen=True)
class RunManifest:
    """What is needed to rerun a run exactly: built once, written as JSON and as text.

    Attributes
    ----------
    command : str
        The command line.
    versions : mapping of str to str
        enforcecost, Python, NumPy, pandas and Matplotlib versions.
    created_utc : str
        ISO timestamp, seconds.
    bases : tuple of str
        The bases whose tables were written.
    ledger_draws : bool
        Whether the ledgers hold every draw (else means over draws).
    scenarios : tuple of ScenarioRecord
    """

    command: str
    versions: Mapping[str, str]
    created_utc: str
    bases: tuple[str, ...]
    ledger_draws: bool
    scenarios: tuple[ScenarioRecord, ...]

    def _scenario(self, ident: str | None) -> ScenarioRecord:
        if ident is None:
            if len(self.scenarios) != 1:
                raise ValueError(f"'ident' is needed: the run has {len(self.scenarios)} "
                                 "scenarios")
            return self.scenarios[0]
        for s in self.scenarios:
            if s.ident == ident:
                return s
        raise KeyError(f"no scenario {ident!r} in the manifest")

    def to_dict(self, ident: str | None = None) -> dict[str, Any]:
        """One scenario's manifest (the only one when ``ident`` is None) as a dict.

        Returns
        -------
        dict
            Versions, ``created_utc``, ``command``, ``scenario`` (name, path,
            what was changed in code since that file was read, baseline, window,
            provisions), ``files_sha256``, ``run`` (monte_carlo, draws, seed,
            sampler) and ``parameters`` (policy and baseline).
        """
        s = self._scenario(ident)
        return {
            **self.versions,
            "created_utc": self.created_utc,
            "command": self.command,
            "scenario": {
                "name": s.name,
                "path": s.path,
                "modified_in_code": list(s.modified_in_code),
                "baseline": s.baseline,
                "baseline_modified_in_code": list(s.baseline_modified_in_code),
                "start_year": s.start_year,
                "years": s.years,
                "dollar_year": s.dollar_year,
                "discount_rate": s.discount_rate,
                "provisions": list(s.provisions),
            },
            "files_sha256": dict(s.files_sha256),
            "run": {
                "monte_carlo": s.monte_carlo,
                "draws": s.draws,
                "seed": s.seed,
                "sampler": s.sampler,
            },
            "parameters": dict(s.parameters),
        }

    def to_json(self, ident: str | None = None) -> str:
        """:meth:`to_dict` as indented JSON (``<scenario>/manifest.json``)."""
        return json.dumps(self.to_dict(ident), indent=2, default=str)

    def to_text(self) -> str:
        """The run as text (``enforcecost-run.txt``): command, bases, and per scenario
        its file, how it was run, its ledgers and its precision notes."""
        lines = [
            f"{_PROG} {self.versions['enforcecost']}",
            f"command: {self.command}",
            f"bases: {', '.join(self.bases)}",
            "scenarios:",
        ]
        for s in self.scenarios:
            lines.append(f"  {s.ident}: {s.source} ({s.name})")
            if s.monte_carlo:
                lines.append(f"    run: Monte Carlo, {s.description.removeprefix('means of ')}")
                if self.ledger_draws:
                    lines.append("    ledger_<basis>.csv: every draw (column 'draw')")
                else:
                    lines.append("    ledger_<basis>.csv: means over draws (--ledger-draws for "
                                 "every draw)")
            else:
                why = f" ({s.why_central})" if s.why_central else ""
                lines.append(f"    run: central values{why}")
                lines.append("    ledger_<basis>.csv: the central values' ledger")
            lines += [f"    precision note: {n}" for n in s.precision_notes]
        return "\n".join(lines) + "\n"


def run_manifest(
    scenarios: Iterable[ScenarioRecord],
    *,
    command: str = "",
    bases: Sequence[str] = BASES,
    ledger_draws: bool = False,
) -> RunManifest:
    """The manifest of a run: the versions and the time now, around the scenarios' records.

    Parameters
    ----------
    scenarios : iterable of ScenarioRecord
        From :func:`scenario_record`, in the order of the run.
    command : str
        The command line.
    bases : sequence of str
        The bases whose tables were written.
    ledger_draws : bool
        Whether the ledgers hold every draw.

    Returns
    -------
    RunManifest

    Examples
    --------
    >>> import enforcecost as ec
    >>> res = ec.evaluate(ec.load_scenario("eo13768"))
    >>> print(run_manifest([scenario_record(res, "eo13768")], command="demo").to_text())
    ... # doctest: +ELLIPSIS
    enforcecost ...
    command: demo
    bases: nominal, real, pv
    scenarios:
      eo13768: ...eo13768.toml (EO 13768, full implementation)
        run: central values
        ledger_<basis>.csv: the central values' ledger
    <BLANKLINE>
    """
    return RunManifest(
        command=command,
        versions=_versions(),
        created_utc=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        bases=tuple(bases),
        ledger_draws=ledger_draws,
        scenarios=tuple(scenarios),
    )


def manifest(result: Result, *, sampler: str | None, seed: int | None,
             command: str = "") -> dict[str, Any]:
    """What is needed to rerun a result exactly.

    Returns
    -------
    dict
        Package and library versions, the scenario files with their SHA-256,
        the window, every input's resolved setting (policy and baseline), the
        draws, seed and sampler, the command and a UTC timestamp: one
        scenario's :meth:`RunManifest.to_dict`.
    """
    record = scenario_record(result, sampler=sampler, seed=seed)
    return run_manifest([record], command=command).to_dict()
