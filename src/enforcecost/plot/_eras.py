"""The eras chart: the 2017 order and its 2025 revival side by side.

Private: the public name is :func:`enforcecost.plot.eras`.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import _format as fmt
from . import _style as st

__all__ = ["eras"]

#: The pipeline panels: the labels of :data:`enforcecost.results.ERA_QUANTITIES`, and
#: the panel's shorter title.
_PANELS = (("ERO officers on board", "ERO officers (peak)"),
           ("ICE interior arrests a year", "Interior arrests a year"),
           ("Detention, average daily population", "Detention, daily average"),
           ("All ICE removals a year", "All ICE removals a year"))


def eras(comparison: Any, *, perspective: str = "federal", title: str | None = None,
         footnote: bool | str | None = None) -> Figure:
    """Outlays by provision and the enforcement system of each era, side by side.

    Left: each provision's window total for ``perspective`` (nominal dollars,
    mean over draws; the impact against each era's own baseline), one bar per
    era. Right: four small panels of the enforcement system, the policy side of
    each era (a yearly average over its window, the officers at their peak) with
    its baseline marked.

    Parameters
    ----------
    comparison : EraComparison
        :func:`enforcecost.compare_eras`.
    perspective : str
        Whose outlays (default ``'federal'``).
    title, footnote
        See the module notes of :mod:`enforcecost.plot`.

    Returns
    -------
    Figure
    """
    outlays = comparison.outlays(perspective)
    pipe = comparison.pipeline()
    names = list(comparison.results)
    colors = [st.COLORS[c] for c in ("blue", "orange", "green", "purple")]
    fig = plt.figure(figsize=(11.0, 5.6), layout="constrained")
    grid = fig.add_gridspec(2, 4, width_ratios=(2.3, 0.05, 1, 1))
    ax = fig.add_subplot(grid[:, 0])
    rows = outlays.index.tolist()[::-1]
    y = np.arange(len(rows))
    height = 0.8 / len(names)
    scale = fmt.money_scale(outlays.to_numpy())
    for i, name in enumerate(names):
        ax.barh(y + (i - (len(names) - 1) / 2) * height,
                outlays.loc[rows, name].to_numpy() / scale.factor, height=height,
                color=colors[i % len(colors)], label=name)
    ax.set_yticks(y, rows)
    ax.axvline(0, color=st.EDGE, linewidth=0.8)
    ax.set_xlabel(f"Window total, {scale.word.lower()} of dollars (nominal)")
    ax.set_title(f"{st.perspective_words(perspective).capitalize()} impact by provision",
                 loc="left", fontsize=st.FONT["label"] + 1)
    st.style_axes(ax, grid="x")
    ax.legend(loc="upper right", frameon=False, fontsize=st.FONT["tick"])
    for k, (label, short) in enumerate(_PANELS):
        panel = fig.add_subplot(grid[k // 2, 2 + k % 2])
        if label not in pipe.index:
            panel.set_axis_off()
            continue
        values = [float(pipe.loc[label, (n, "policy")]) for n in names]
        base = [values[j] - float(pipe.loc[label, (n, "impact")]) for j, n in enumerate(names)]
        x = np.arange(len(names))
        panel.bar(x, values, color=[colors[j % len(colors)] for j in range(len(names))],
                  width=0.6)
        panel.scatter(x, base, marker="_", s=400, color=st.EDGE, zorder=3)
        panel.set_xticks(x, [n if len(n) <= 14 else n[:13] + "\u2026" for n in names],
                         fontsize=st.FONT["tick"])
        panel.yaxis.set_major_formatter(fmt.count_formatter())
        panel.set_title(short, loc="left", fontsize=st.FONT["label"])
        st.style_axes(panel)  # the baseline's dash is explained in the footnote
    default = "Two eras side by side: outlays and the enforcement system"
    fig.suptitle(default if title is None else title, x=0.01, ha="left",
                 fontsize=st.FONT["title"])
    if footnote is not False:
        note = ("Money: nominal dollars, window totals of each era's mean over draws, the "
                "impact against its own baseline. System: the policy side's yearly average "
                "over its window (officers: the peak); a dash marks the baseline. "
                + "; ".join(f"{n}: FY{r.fiscal_years[0]}\u2013FY{r.fiscal_years[-1]}, "
                            f"{r.scenario.name}" for n, r in comparison.results.items()))
        st.add_footnote(fig, footnote if isinstance(footnote, str) else note)
    return fig
