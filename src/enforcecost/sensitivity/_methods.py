"""The table of scenario-level sensitivity methods: all a front end needs to run one.

Each :class:`Method` says once what the CLI (or any front end) used to know
method by method: its study function, its design options with their defaults
(read from the study's signature, the single source), the rule each option
value must follow, how many model runs it will make, the tables it writes, its
printed table and its chart (by name: the front end finds them in
:mod:`enforcecost.report` and :mod:`enforcecost.plot`, which sit above this
package and are not imported here).

How the CLI uses it (``enforcecost sensitivity FILE --method NAME``)::

    method = METHODS[args.method]                  # --method choices: list(METHODS)
    # help: method.summary; defaults: METHODS["sobol"].options["n"], ...
    given = {"n": args.n, "trajectories": args.trajectories, "seed": args.seed}
    for name, value in given.items():              # an option the method lacks
        if value is not None and name not in method.options:
            having = [m.name for m in METHODS.values() if name in m.options]
            ...                                    # "--n: applies to --method sobol only"
    options = {k: v for k, v in given.items() if k in method.options}
    for name, rule in method.problems(**options).items():
        ...                                        # f"--{name} {options[name]}: {rule}"
    total = method.planned_runs(sc, **options)     # the progress bar's length
    res = method.run(sc, output, workers=..., scheduler=..., progress=..., **options)
    for stem, frame in method.frames(res).items():
        ...                                        # write DIR/{stem}.csv
    text = getattr(report, method.table)(res, top=args.top)  # the printed table
    lines = [*method.details(res), f"model runs: {method.runs(res)}"]
    # and f"seed: {seed}" when "seed" in method.options

An option passed as None takes its default, so the CLI passes its flags as
they are. The CLI keeps only what is its own: flag names, the output
directory, the seed default from the scenario file's ``[run]`` table.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from ..model import uncertain_inputs
from ..scenario import Scenario
from ._common import _check_int, _seed_sequence
from ._morris import _check_levels
from ._saltelli import _blocks, _check_design_size, _check_groups
from ._scenario import Output, _meta
from ._studies import (
    ScenarioMorris,
    ScenarioSobol,
    TornadoResult,
    assumption_share,
    morris,
    sobol,
    tornado,
)

__all__ = ["METHODS", "Method"]

Options = dict[str, Any]


@dataclass(frozen=True)
class Method:
    """One scenario-level sensitivity method, as a front end drives it.

    Attributes
    ----------
    name : str
        The method's name (``'tornado'``, ``'morris'``, ``'sobol'``).
    study : callable
        ``study(scenario, output, *, **options, progress=..., workers=..., ...)``.
    summary : str
        One line for help text: what the method measures and what it costs.
    options : mapping of str to object
        The study's design options (those that change its result) and their
        defaults, read from the study's signature.
    chart : str
        Name of the chart in :mod:`enforcecost.plot`.
    table : str
        Name of the text table in :mod:`enforcecost.report`.
    plan, rules, frames_of, runs_of, details_of : callable
        The method's own parts behind :meth:`planned_runs`, :meth:`problems`,
        :meth:`frames`, :meth:`runs` and :meth:`details`.
    """

    name: str
    study: Callable[..., Any]
    summary: str
    options: Mapping[str, Any]
    chart: str
    table: str
    plan: Callable[[Scenario, Options], int] = field(repr=False)
    rules: Callable[[Options], dict[str, str]] = field(repr=False)
    frames_of: Callable[[Any], dict[str, pd.DataFrame]] = field(repr=False)
    runs_of: Callable[[Any], int] = field(repr=False)
    details_of: Callable[[Any], list[str]] = field(repr=False)

    def _filled(self, options: Mapping[str, Any]) -> Options:
        unknown = [name for name in options if name not in self.options]
        if unknown:
            raise TypeError(
                f"method {self.name!r} has no option {unknown[0]!r}: its options are "
                f"{list(self.options)!r}"
            )
        return {
            name: default if options.get(name) is None else options[name]
            for name, default in self.options.items()
        }

    def problems(self, **options: Any) -> dict[str, str]:
        """The rule each option value breaks (None takes the default).

        Returns
        -------
        dict of str to str
            Option name -> the rule in words (``'must be a whole number >= 2'``),
            empty if every value is valid.

        Raises
        ------
        TypeError
            If an option is not one of :attr:`options`.
        """
        return self.rules(self._filled(options))

    def resolved(self, **options: Any) -> Options:
        """Every option's value: those given, checked, and the defaults (for None)."""
        filled = self._filled(options)
        problems = self.rules(filled)
        if problems:
            name, rule = next(iter(problems.items()))
            raise ValueError(f"'{name}' {rule}: {filled[name]!r}")
        return filled

    def planned_runs(self, scenario: Scenario, **options: Any) -> int:
        """Model runs :meth:`run` will make on ``scenario`` with these options."""
        return self.plan(scenario, self.resolved(**options))

    def run(self, scenario: Scenario, output: Output | str | None = None, **kwargs: Any) -> Any:
        """Run the study: design options as in :meth:`resolved`, the rest passed on."""
        given = {name: kwargs.pop(name) for name in self.options if name in kwargs}
        return self.study(scenario, output, **self.resolved(**given), **kwargs)

    def frames(self, result: Any) -> dict[str, pd.DataFrame]:
        """The result's tables by file stem (``'sobol_by_provision'``), every input or group."""
        return self.frames_of(result)

    def runs(self, result: Any) -> int:
        """Model runs the study made."""
        return self.runs_of(result)

    def details(self, result: Any) -> list[str]:
        """Lines ``'key: value'`` describing the design and the result, for a manifest."""
        return self.details_of(result)



def _defaults(study: Callable[..., Any], names: Sequence[str]) -> Mapping[str, Any]:
    """The defaults of ``study``'s keyword options ``names``, from its signature."""
    params = inspect.signature(study).parameters
    return MappingProxyType({name: params[name].default for name in names})


def _breaks(check: Callable[[], object]) -> bool:
    """Whether the library's own check of a value raises."""
    try:
        check()
    except (TypeError, ValueError):
        return True
    return False


def _seed_rule(options: Options) -> dict[str, str]:
    if _breaks(lambda: _seed_sequence(options["seed"])):
        return {"seed": "must be a whole number >= 0"}
    return {}


def _d(scenario: Scenario) -> int:
    return len(uncertain_inputs(scenario))


# -- tornado -------------------------------------------------------------------------------
def _tornado_details(res: TornadoResult) -> list[str]:
    return [f"central value: {res.base!r} dollars"]


TORNADO = Method(
    name="tornado",
    study=tornado,
    summary="each input alone at the low and high end of its range: 2d + 1 model runs",
    options=_defaults(tornado, []),
    chart="tornado",
    table="render_tornado",
    plan=lambda scenario, options: 2 * _d(scenario) + 1,
    rules=lambda options: {},
    frames_of=lambda res: {"tornado": res.to_frame()},
    runs_of=lambda res: 2 * len(res.frame) + 1,
    details_of=_tornado_details,
)


# -- Morris --------------------------------------------------------------------------------
def _morris_rules(options: Options) -> dict[str, str]:
    out = {}
    if _breaks(lambda: _check_int(options["trajectories"], "trajectories", 2)):
        out["trajectories"] = "must be a whole number >= 2"
    if _breaks(lambda: _check_levels(options["levels"])):
        out["levels"] = "must be an even whole number >= 2"
    return out | _seed_rule(options)


def _morris_details(res: ScenarioMorris) -> list[str]:
    return [f"trajectories: {res.result.trajectories}, levels: {res.result.levels}"]


MORRIS = Method(
    name="morris",
    study=morris,
    summary="elementary-effects screening: trajectories x (d + 1) runs",
    options=_defaults(morris, ["trajectories", "levels", "seed"]),
    chart="morris",
    table="render_morris",
    plan=lambda scenario, options: options["trajectories"] * (_d(scenario) + 1),
    rules=_morris_rules,
    frames_of=lambda res: {"morris": res.to_frame()},
    runs_of=lambda res: int(res.result.evaluations),
    details_of=_morris_details,
)


# -- Sobol' --------------------------------------------------------------------------------
def _sobol_rules(options: Options) -> dict[str, str]:
    out = {}
    r = options["replicates"]
    if _breaks(lambda: _check_int(r, "replicates", 2)):
        out["replicates"] = "must be a whole number >= 2"
    elif _breaks(lambda: _check_design_size(options["n"], r)):
        examples = ", ".join(str(r * 2**k) for k in (4, 6, 8))
        out["n"] = f"must be {r} times a power of 2, at least {2 * r} (e.g. {examples})"
    if not isinstance(options["by_source"], bool):
        out["by_source"] = "must be True or False"
    return out | _seed_rule(options)


def _sobol_runs(scenario: Scenario, options: Options) -> int:
    """``n`` times the blocks of each design: by provision, and by source kind."""
    names = tuple(uncertain_inputs(scenario))
    meta = _meta(names)
    kinds = ["provision", "source_kind"] if options["by_source"] else ["provision"]
    blocks = [_blocks(len(names), _check_groups(list(meta[kind]), names))[0] for kind in kinds]
    return sum(options["n"] * len(swaps) for swaps in blocks)


def _sobol_frames(res: ScenarioSobol) -> dict[str, pd.DataFrame]:
    frames = {"sobol": res.to_frame(), "sobol_by_provision": res.by_provision()}
    if res.by_source is not None:
        frames["sobol_by_source_kind"] = res.by_source_kind()
    return frames


def _sobol_details(res: ScenarioSobol) -> list[str]:
    return [f"n: {res.result.n}, replicates: {res.result.replicates}",
            f"assumptions: {assumption_share(res)}"]


SOBOL = Method(
    name="sobol",
    study=sobol,
    summary="variance shares S1 (alone) and ST (with interactions), with intervals from "
    "scrambled replicates, grouped by provision and by source kind: n (d + G + 2) runs per "
    "grouping (G: its groups of two or more inputs)",
    options=_defaults(sobol, ["n", "replicates", "seed", "by_source"]),
    chart="sobol",
    table="render_sobol",
    plan=_sobol_runs,
    rules=_sobol_rules,
    frames_of=_sobol_frames,
    runs_of=lambda res: res.result.evaluations
    + (res.by_source.evaluations if res.by_source is not None else 0),
    details_of=_sobol_details,
)

#: The scenario-level methods by name, in the order a front end lists them.
METHODS: Mapping[str, Method] = MappingProxyType({m.name: m for m in (TORNADO, MORRIS, SOBOL)})
