"""The client's side of a simulation: block outputs added in block order, then the result."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from ..provisions import Flows
from ..reduce import FixedSums, QuantileSketch
from ..results import Means, Reduced, Result, Run, Totals
from ._block import BlockOutput
from ._ledger import _result
from ._plan import SUMMARY, Plan


class _Assembly:
    """The client's side of a simulation: adds block outputs, in block order."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        years = plan.window.years
        nf = len(fields(Flows))
        self.flows = [FixedSums.zeros((nf, years)) for _ in plan.sides]
        m = plan.first if plan.detail == SUMMARY else plan.draws
        self.kept = [np.zeros((len(k), m, years)) for k in plan.kept]
        self.price = [np.empty((m, years)) for _ in plan.sides]
        self.means: list[FixedSums] = []
        self.moments: FixedSums | None = None
        self.sketch: QuantileSketch | None = None
        if plan.detail == SUMMARY:
            self.means = [
                FixedSums.zeros((2, len(lines), years))
                for i, lines in enumerate(plan.lines)
            ]
            self.moments = FixedSums.zeros((2, plan.channels))
            self.sketch = Totals.empty_sketch(plan.channels)
        self.done = 0

    def add(self, out: BlockOutput) -> None:
        """Add the next block's output (blocks arrive in order)."""
        if out.start != self.done:  # pragma: no cover - backends return blocks in order
            raise RuntimeError(f"block {out.start}-{out.stop} out of order (at {self.done})")
        for i in range(len(self.plan.sides)):
            self.flows[i] += out.flows[i]
            m = out.kept[i].shape[1]
            self.kept[i][:, out.start : out.start + m] = out.kept[i]
            self.price[i][out.start : out.start + m] = out.price[i]
            if self.means:
                self.means[i] += out.means[i]
        if self.sketch is not None:  # exact sums and counts: any order gives the same
            assert self.moments is not None
            assert out.sketch is not None
            assert out.moments is not None
            self.moments += out.moments
            self.sketch.merge(out.sketch)
        self.done = out.stop

    def result(self) -> Result:
        """The simulation's result, once every block is added."""
        plan = self.plan
        n = plan.draws
        flows = [
            Flows(**{f.name: acc.mean(n)[j][None, :] for j, f in enumerate(fields(Flows))})
            for acc in self.flows
        ]
        if plan.detail != SUMMARY:
            runs = [
                Run(scenario=side, lines=plan.kept[i], amounts=self.kept[i],
                    price=self.price[i], flows=flows[i])
                for i, side in enumerate(plan.sides)
            ]
            return _result(plan.scenario, runs[0], runs[1] if len(runs) > 1 else None, False,
                           plan.names)
        years = plan.window.years
        means = [acc.mean(n) for acc in self.means]
        runs = [
            Run(scenario=side, lines=plan.lines[i], amounts=np.empty((len(plan.lines[i]), 0,
                years)), price=np.empty((0, years)), flows=flows[i],
                means=Means(real=means[i][0], nominal=means[i][1], draws=n))
            for i, side in enumerate(plan.sides)
        ]
        first = [
            Run(scenario=side, lines=plan.kept[i], amounts=self.kept[i], price=self.price[i],
                flows=flows[i])
            for i, side in enumerate(plan.sides)
        ]
        assert plan.reference is not None
        assert self.moments is not None
        assert self.sketch is not None
        totals = Totals(
            perspectives=plan.perspectives, spans=plan.spans,
            reference=plan.reference, moments=self.moments.mean(n),  # mean d, mean d**2
            sketch=self.sketch, draws=n,
        )
        baseline = runs[1] if len(runs) > 1 else None
        reduced = Reduced.of_runs(
            runs[0], baseline, totals,
            _result(plan.scenario, first[0], first[1] if len(first) > 1 else None, False,
                    plan.names),
        )
        return _result(plan.scenario, runs[0], baseline, False, plan.names, reduced)

