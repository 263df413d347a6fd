"""Report-ready charts of results and sensitivity analyses.

Every chart is a function ``chart(obj, ..., *, ax=None, title=None,
footnote=None, **kwargs) -> Axes``:

* ``ax``: draw into this Axes; when None a new figure is made (through pyplot,
  so a notebook shows it). :func:`plt.show` is never called.
* ``title``: replaces the default title (scenario name and what is shown);
  ``''`` for none.
* ``footnote``: the source line ("Source: enforcecost <version>, scenario
  <file>; N draws, seed S. ..."; the file followed by ", modified in code: ..."
  for a scenario changed in code after it was read, see
  :attr:`~enforcecost.Scenario.provenance`) is written at the bottom of the figure **only
  when the function made the figure** (a figure passed in through ``ax`` may
  hold other charts, so it is left alone). ``footnote=False`` drops it, a
  string replaces it. :func:`source_note` gives the text for your own figures.
* ``**kwargs`` reach the chart's main artists (named in each docstring), over
  the report style's defaults.

Charts: :func:`tornado`, :func:`sobol` and :func:`morris` (sensitivity);
:func:`fan` (annual net cost with percentile bands), :func:`stacked` (by
provision and year), :func:`waterfall` (baseline to policy by provision),
:func:`distribution` (window total), :func:`compare` (scenarios) and
:func:`pipeline` (officers, arrests, detention, courts and removals against
their capacities, as small multiples: with ``ax=None`` it returns the first of
its panels, with ``ax`` it draws the panels inside that Axes) and
:func:`hindcast` (a hindcast's pipeline beside the published outcomes, a panel
per quantity: it returns the Figure and takes ``fig=`` instead of ``ax=``).

:func:`style` is the house style for your own figures: ``with plot.style():``
applies the report's fonts, colours (the Okabe–Ito cycle) and axes, and its
``provision(name)`` gives a provision's colour and hatch as the charts draw it.

Figures made here are pyplot figures: in a batch, close each one
(``plt.close(ax.figure)``) once saved.

Money axes are scaled to $B, $M or $K by magnitude and labelled with the basis
and dollar year ("Billions of 2017 dollars", "Billions of nominal dollars",
"Billions of 2017 dollars, present value at 2%"); fiscal years are labelled
"FY2017". Colours are Okabe–Ito (colour-blind safe) and paired with hatches or
markers, so the charts survive grayscale printing. Inputs whose value rests on
an assumption rather than a source (``source_kind == "assumption"``) are
flagged ``[A]`` and hatched.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import enforcecost as ec
>>> from enforcecost import plot
>>> res = ec.evaluate(ec.load_scenario("eo13768"))
>>> ax = plot.stacked(res)
>>> ax.figure.savefig("stacked.png")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from . import _style as _st
from ._compare import compare
from ._distribution import distribution
from ._eras import eras
from ._fan import fan
from ._hindcast import hindcast
from ._morris import morris
from ._pipeline import pipeline
from ._sobol import sobol
from ._stacked import stacked
from ._style import style
from ._tornado import tornado
from ._waterfall import waterfall

__all__ = [
    "compare",
    "distribution",
    "eras",
    "fan",
    "hindcast",
    "morris",
    "pipeline",
    "sobol",
    "source_note",
    "stacked",
    "style",
    "tornado",
    "waterfall",
]


def source_note(obj: Any, note: str = "") -> str:
    """The source line a chart of ``obj`` carries, for figures you compose yourself.

    Parameters
    ----------
    obj : Result or a sensitivity result
    note : str
        Appended after the standard text.

    Returns
    -------
    str
        E.g. ``'Source: enforcecost 0.1.0, scenario eo13768.toml vs. baseline
        pre_eo_2016.toml; 4,096 draws.'``

    Examples
    --------
    >>> import enforcecost as ec
    >>> from enforcecost import plot
    >>> plot.source_note(ec.evaluate(ec.load_scenario("eo13768"))).startswith("Source:")
    True
    """
    return _st.source_line(_st.Context.of(obj), note)
