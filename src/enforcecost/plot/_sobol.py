"""The Sobol' chart: first-order and total indices.

Private: the public name is :func:`enforcecost.plot.sobol`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from ..vocab import SOURCE_KIND_LABELS
from . import _style as st
from ._common import FOOTNOTE_A, axes_for, check_choice, check_top, finish, swatch, title_text

if TYPE_CHECKING:
    from ..sensitivity import ScenarioSobol

__all__ = ["sobol"]


def sobol(
    scenario_sobol: ScenarioSobol,
    grouped: Literal["provision", "source_kind"] | None = None,
    *,
    top: int = 15,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """First-order (S1) and total (ST) Sobol' indices with interval whiskers.

    Parameters
    ----------
    scenario_sobol : ScenarioSobol
        From :func:`enforcecost.sensitivity.sobol`.
    grouped : None, 'provision' or 'source_kind'
        None: the ``top`` inputs by ST; ``'provision'``: the indices of each
        provision's inputs together; ``'source_kind'``: of all inputs of each
        source kind (how much of the variance rests on assumptions).
    top : int
        Inputs (or groups) shown, largest ST first.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes

    Notes
    -----
    Small designs give noisy estimates: S1 can come out below 0 or above ST;
    the whiskers (randomized-QMC intervals over replicates) show how far to
    trust them.
    """
    check_choice("grouped", grouped, (None, "provision", "source_kind"))
    top = check_top(top)
    if grouped is None:
        frame = scenario_sobol.to_frame()
        labels = [st.input_label(str(i), k) for i, k in zip(frame.index, frame["source_kind"],
                                                            strict=True)]
        assumed = (frame["source_kind"] == "assumption").to_numpy()
        what = "input"
    elif grouped == "provision":
        frame = scenario_sobol.by_provision().sort_values("ST", ascending=False, kind="stable")
        labels = [st.provision_label(str(g)) for g in frame.index]
        assumed = np.zeros(len(frame), dtype=bool)
        what = "provision (each provision's inputs together)"
    else:
        frame = scenario_sobol.by_source_kind().sort_values("ST", ascending=False,
                                                            kind="stable")
        labels = [SOURCE_KIND_LABELS.get(str(g), str(g)) + (" [A]" if g == "assumption" else "")
                  for g in frame.index]
        assumed = (frame.index == "assumption")
        what = "source kind (all inputs of a kind together)"
    # groups whose inputs do not touch this output (a provision not costed) say nothing
    touches = ((frame["ST"] != 0) | (frame["S1"] != 0)).to_numpy()
    if grouped is not None and touches.any():
        frame = frame[touches]
        labels = [lab for lab, t in zip(labels, touches, strict=True) if t]
        assumed = assumed[touches]
    keep = slice(0, top)
    frame, labels, assumed = frame.iloc[keep].iloc[::-1], labels[keep][::-1], assumed[keep][::-1]
    n = len(frame)
    ax, made = axes_for(ax, (8.0, max(3.2, 1.5 + 0.36 * n)))
    y = np.arange(n)
    h = 0.38
    series = (
        ("S1", h / 2, st.COLORS["blue"], "First-order S1 (alone)"),
        ("ST", -h / 2, st.COLORS["orange"], "Total effect ST (alone and in interactions)"),
    )
    handles: list[Any] = []
    for key, offset, color, name in series:
        value = frame[key].to_numpy()
        err = np.vstack([np.clip(value - frame[f"{key}_low"].to_numpy(), 0, None),
                         np.clip(frame[f"{key}_high"].to_numpy() - value, 0, None)])
        opts: dict[str, Any] = {"height": h, "color": color, "edgecolor": st.EDGE,
                                "linewidth": 0.4, "label": name,
                                "error_kw": {"ecolor": st.COLORS["black"], "elinewidth": 0.8,
                                             "capsize": 2}}
        opts.update(kwargs)
        bars = ax.barh(y + offset, value, xerr=err, **opts)
        handles.append(swatch(bars))
        for patch, a in zip(bars.patches, assumed, strict=True):
            patch.set_hatch(st.ASSUMPTION_HATCH if a else "")
    ax.axvline(0.0, color=st.COLORS["black"], linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel("Share of the output's variance", fontsize=st.FONT["label"])
    st.style_axes(ax, grid="x")
    names = [name for *_, name in series]
    if assumed.any():
        handles.append(Patch(facecolor="white", edgecolor=st.EDGE, hatch=st.ASSUMPTION_HATCH))
        names.append("[A] assumption-based")
    st.legend(ax, handles=handles, labels=names, loc="best")
    ctx = st.Context.of(scenario_sobol)
    what = f"Sobol' indices by {what}: share of the variance of the {scenario_sobol.label}"
    st.set_title(ax, title, title_text(ctx, what))
    res = scenario_sobol.result
    note = (
        f"Sobol' design n = {res.n:,} \u00d7 {res.replicates} replicates "
        f"({res.evaluations:,} model runs); whiskers: {res.confidence:.0%} intervals across "
        f"replicates. {FOOTNOTE_A}"
    )
    return finish(ax, made, footnote, st.source_line(ctx, note))
