"""The headline rule: which figure a result leads with, stated once.

Every place that leads with one figure for a window total (the report's
headline lines, :meth:`Result.headline`, :func:`compare`, the one-line repr
and the charts that mark a headline: :func:`~enforcecost.plot.compare`,
:func:`~enforcecost.plot.distribution`, :func:`~enforcecost.plot.tornado` and
:func:`~enforcecost.plot.fan`) reads :data:`HEADLINE` and
:func:`headline_value` from here.

**The rule.** A result leads with the **mean over the draws** of the net cost
(:data:`HEADLINE` ``= "mean"``), in **nominal** dollars
(:data:`HEADLINE_BASIS`, the CBO convention). :data:`HEADLINE_WHY` says why.
Beside it are shown: the **central-values** estimate (one deterministic run,
:func:`~enforcecost.evaluate`, every input at its central value, which is what
:meth:`Result.total` of that run and the tornado's centre are), the **median**
and the **5th and 95th percentiles** over the draws. For a deterministic result
there are no draws, and its mean, median and percentiles all equal its
central-values total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd

from ..vocab import PERSPECTIVES, Basis, Perspective
from ._select import check_basis, perspective_mask

if TYPE_CHECKING:
    from ._result import Result

__all__ = [
    "HEADLINE",
    "HEADLINE_BASIS",
    "HEADLINE_COLUMNS",
    "HEADLINE_WHY",
    "HEADLINE_WORDS",
    "compare",
    "headline_frame",
    "headline_value",
]

#: The figure a result leads with: ``"mean"``, the mean over the draws of the net
#: cost (for a deterministic result, its central-values total).
HEADLINE: Final[Literal["mean"]] = "mean"
#: The basis of the headline when none is asked: ``nominal`` (then-year dollars,
#: the CBO convention for a cost estimate).
HEADLINE_BASIS: Final[Basis] = "nominal"
#: Why the headline is the mean, in one sentence (the README and reports quote it).
HEADLINE_WHY: Final[str] = (
    "The mean over the draws is the expected cost: when costs are skewed, it is what a "
    "budget should carry, while the central-values run and the median can sit below "
    "(or above) what is expected to be spent."
)
#: How the headline figure is named in text and chart legends.
HEADLINE_WORDS: Final[str] = "mean"
#: The statistics of :meth:`Result.headline` and :func:`compare`, in order.
HEADLINE_COLUMNS: Final[tuple[str, ...]] = ("central", "mean", "p5", "p50", "p95")


def headline_value(
    result: Result,
    perspective: Perspective = "federal",
    basis: Basis = HEADLINE_BASIS,
    years: int | Sequence[int] | None = None,
    provision: str | None = None,
) -> float:
    """The headline figure of a result's net cost: its mean over the draws.

    Parameters
    ----------
    result : Result
    perspective, basis, years, provision
        As in :meth:`Result.total`.

    Returns
    -------
    float
        Dollars in ``basis``: :meth:`Result.mean_total` (the central-values
        total of a deterministic result).
    """
    return result.mean_total(perspective, basis, years, provision)


def _central(result: Result) -> Result:
    """The result of one deterministic run of the same scenario (itself if deterministic)."""
    if result.deterministic:
        return result
    # results sits below model; evaluate loads on use (tests/test_architecture.py)
    from ..model import evaluate

    return evaluate(result.scenario)


def _perspectives(result: Result) -> list[Perspective]:
    return [p for p in PERSPECTIVES if perspective_mask(result.lines, p).any()]


def headline_frame(result: Result, basis: Basis = HEADLINE_BASIS,
                   years: int | Sequence[int] | None = None, *,
                   central: Result | None = None) -> pd.DataFrame:
    """The headline and the figures shown beside it, by perspective (see
    :meth:`Result.headline`); ``central``: the central-values run, if already made."""
    check_basis(basis)
    if central is None:
        central = _central(result)
    rows = {}
    for perspective in _perspectives(result):
        q = np.atleast_1d(np.asarray(result.quantile([0.05, 0.5, 0.95], perspective, basis,
                                                     years), dtype=np.float64))
        if q.size == 1:  # a deterministic result: every quantile is its total
            q = np.repeat(q, 3)
        rows[perspective] = {
            "central": central.mean_total(perspective, basis, years),  # its one run's total
            "mean": headline_value(result, perspective, basis, years),
            "p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2]),
            "headline": HEADLINE,
        }
    frame = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=[*HEADLINE_COLUMNS, "headline"])
    frame.index.name = "perspective"
    frame.attrs.update(basis=basis, dollar_year=result.dollar_year, draws=result.draws)
    return frame


def compare(
    results: Mapping[str, Result] | Sequence[Result],
    basis: Basis | Sequence[Basis] = HEADLINE_BASIS,
) -> pd.DataFrame:
    """Scenarios side by side: the headline and the figures beside it, in one tidy frame.

    Parameters
    ----------
    results : mapping of str to Result, or sequence of Result
        Named results (the names label the rows), or results (labelled by
        their scenario's name, which must then differ).
    basis : {'nominal', 'real', 'pv'} or sequence of them
        The bases to tabulate (default :data:`HEADLINE_BASIS`).

    Returns
    -------
    DataFrame
        One row per scenario, perspective with ledger lines and basis; columns
        ``scenario, perspective, basis, central, mean, p5, p50, p95, headline``
        (amounts in dollars of ``basis``; ``headline`` names the column the
        results lead with, :data:`HEADLINE`). Each is the impact against the
        scenario's own baseline, or its cost when it has none.

    Raises
    ------
    ValueError
        No results, two unnamed results with the same scenario name, or a
        ``real``/``pv`` basis across results in different dollar years (or
        discount rates).

    Examples
    --------
    >>> import enforcecost as ec
    >>> runs = {n: ec.evaluate(ec.load_scenario(n))
    ...         for n in ("eo13768", "eo13768_partial_funding")}
    >>> frame = ec.compare(runs).set_index(["scenario", "perspective"])
    >>> bool(frame.loc[("eo13768", "federal"), "mean"] == runs["eo13768"].total("federal"))
    True
    """
    if isinstance(results, Mapping):
        named = dict(results)
    else:
        items = list(results)
        names = [r.scenario.name for r in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"'results' hold scenarios of the same name {dupes}: pass a "
                             "mapping of name to Result")
        named = dict(zip(names, items, strict=True))
    if not named:
        raise ValueError("'results' must hold at least one Result: got none")
    bases: list[Basis] = [basis] if isinstance(basis, str) else list(basis)
    for b in bases:
        check_basis(b)
        if b != "nominal":
            years = {r.dollar_year for r in named.values()}
            rates = {r.discount_rate for r in named.values()} if b == "pv" else set()
            if len(years) > 1 or len(rates) > 1:
                raise ValueError(
                    f"'results' must share a dollar year (and discount rate) for basis {b!r}: "
                    f"dollar years {sorted(years)}, rates {sorted(rates)}; use basis='nominal'"
                )
    frames = []
    for name, res in named.items():
        central = _central(res)
        for b in bases:
            f = headline_frame(res, b, central=central).reset_index()
            f.insert(0, "scenario", name)
            f.insert(2, "basis", b)
            frames.append(f)
    return pd.concat(frames, ignore_index=True)
