"""The report style shared by :mod:`enforcecost.plot` (private).

One place for fonts, colours, hatches, number formats, fiscal-year ticks,
titles and the source line, so every chart reads the same and survives
grayscale printing: colours come from the Okabe–Ito colour-blind-safe palette
and every categorical colour is paired with a hatch or a marker.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from .._version import __version__
from ..provisions import LABELS, PROVISIONS
from ..vocab import MONEY_GROUP, MONEY_GROUP_LABEL, PERSPECTIVE_LABELS

__all__ = [
    "ASSUMPTION_HATCH",
    "COLORS",
    "EDGE",
    "FONT",
    "FOOTNOTE_A",
    "GREY",
    "Context",
    "MoneyScale",
    "add_footnote",
    "axes_for",
    "basis_context",
    "check_choice",
    "check_top",
    "count_formatter",
    "figure_of",
    "finish",
    "fmt_count",
    "fmt_input",
    "fmt_money",
    "fy_axis",
    "input_label",
    "legend",
    "money_axis",
    "money_formatter",
    "money_label",
    "money_scale",
    "new_figure",
    "perspective_words",
    "provision_hatch",
    "provision_label",
    "provision_style",
    "set_title",
    "source_line",
    "style_axes",
    "title_text",
    "wrap",
]

#: Okabe & Ito (2008), "Color universal design": distinguishable with every
#: common colour-vision deficiency.
COLORS: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
_CYCLE = ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow")
GREY = "#6E6E6E"
LIGHT_GREY = "#D9D9D9"
EDGE = "#333333"
ASSUMPTION_HATCH = "////"
#: Hatches of the first provisions, so stacked segments differ in grayscale too; later
#: provisions get denser versions of the patterned ones (see :func:`provision_hatch`).
_HATCHES = ("", "///", "...", "xx", "\\\\\\", "o", "---", "++", "|||", "**", "O.")

FONT: dict[str, float] = {
    "title": 11.0,
    "label": 9.0,
    "tick": 8.0,
    "legend": 8.0,
    "annotation": 7.5,
    "footnote": 7.0,
}


# -- words -----------------------------------------------------------------------
def provision_label(provision: str) -> str:
    """A reader's name for a provision (its module name when unknown)."""
    if provision == MONEY_GROUP:
        return MONEY_GROUP_LABEL
    return LABELS.get(provision, provision)


def perspective_words(perspective: str) -> str:
    """'Federal', 'State and local', ... for a perspective name."""
    return PERSPECTIVE_LABELS.get(perspective, perspective)


def input_label(name: str, source_kind: str) -> str:
    """An input's axis label: its public name, flagged ``[A]`` for an assumption."""
    return f"{name} [A]" if source_kind == "assumption" else name


def provision_hatch(i: int) -> str:
    """The hatch of the ``i``-th provision: one of :data:`_HATCHES`, then denser ones.

    Every index gets its own pattern (matplotlib draws a repeated hatch character
    denser), so provisions stay apart in grayscale however many there are.
    """
    if i < len(_HATCHES):
        return _HATCHES[i]
    patterned = _HATCHES[1:]
    k = i - len(_HATCHES)
    return patterned[k % len(patterned)] * (2 + k // len(patterned))


def provision_style(provision: str) -> dict[str, Any]:
    """Fixed face colour and hatch of a provision's bars (the same in every chart)."""
    i = PROVISIONS.index(provision) if provision in PROVISIONS else len(PROVISIONS)
    return {
        "facecolor": COLORS[_CYCLE[i % len(_CYCLE)]],
        "hatch": provision_hatch(i),
        "edgecolor": EDGE,
        "linewidth": 0.4,
    }


# -- numbers ---------------------------------------------------------------------
@dataclass(frozen=True)
class MoneyScale:
    """Divide dollars by ``factor`` to plot in ``word`` (e.g. 1e9, 'Billions')."""

    factor: float
    word: str


def money_scale(values: npt.ArrayLike) -> MoneyScale:
    """$B, $M or $K, chosen by the largest magnitude among ``values``."""
    arr = np.abs(np.asarray(values, dtype=np.float64))
    arr = arr[np.isfinite(arr)]
    top = float(arr.max()) if arr.size else 0.0
    if top >= 1e9:
        return MoneyScale(1e9, "Billions")
    if top >= 1e6:
        return MoneyScale(1e6, "Millions")
    return MoneyScale(1e3, "Thousands")


def money_label(
    scale: MoneyScale,
    basis: str,
    dollar_year: int | None = None,
    discount_rate: float | None = None,
) -> str:
    """Axis label with unit, basis and dollar year, e.g. 'Billions of 2017 dollars'."""
    if basis == "nominal":
        return f"{scale.word} of nominal dollars"
    year = f"{dollar_year}" if dollar_year is not None else "constant"
    label = f"{scale.word} of {year} dollars"
    if basis == "pv":
        rate = f" at {discount_rate * 100:g}%" if discount_rate is not None else ""
        label += f", present value{rate}"
    return label


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")


def money_formatter(scale: MoneyScale) -> FuncFormatter:
    """Tick labels in units of ``scale`` (no unit: the axis label carries it)."""

    def fmt(value: float, _pos: int | None = None) -> str:
        x = value / scale.factor
        if abs(x) < 1e-12:
            return "0"
        return _minus(f"{x:,.4g}")

    return FuncFormatter(fmt)


def fmt_money(value: float, *, signed: bool = False) -> str:
    """A dollar figure for an annotation, scaled by its own size: '$31.1B', '−$450M'."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    v = abs(value)
    if v >= 1e9:
        body = f"${v / 1e9:,.1f}B" if v < 1e11 else f"${v / 1e9:,.0f}B"
    elif v >= 1e6:
        body = f"${v / 1e6:,.1f}M" if v < 1e7 else f"${v / 1e6:,.0f}M"
    elif v >= 1e3:
        body = f"${v / 1e3:,.0f}K"
    else:
        body = f"${v:,.0f}"
    return _minus(sign) + body


def fmt_count(value: float, _pos: int | None = None) -> str:
    """People, officers, cases: '950', '150K', '1.2M'."""
    v = abs(value)
    sign = "\u2212" if value < 0 else ""
    if v >= 1e6:
        return f"{sign}{v / 1e6:.3g}M"
    if v >= 1e3:
        return f"{sign}{v / 1e3:.3g}K"
    return f"{sign}{v:.3g}"


def count_formatter() -> FuncFormatter:
    """Tick formatter for counts (see :func:`fmt_count`)."""
    return FuncFormatter(fmt_count)


def fmt_input(value: float) -> str:
    """An input value at the end of a tornado bar: '371', '3,000', '0.17'."""
    if not math.isfinite(value):
        return "unlimited" if value > 0 else _minus(f"{value}")
    v = abs(value)
    if v >= 1000:
        text = f"{value:,.0f}"
    elif v >= 1 or v == 0:
        text = f"{value:.3g}"
    else:
        text = f"{value:.2g}"
    return _minus(text)


# -- axes and figures ------------------------------------------------------------
def new_figure(
    figsize: tuple[float, float], *, nrows: int = 1, ncols: int = 1
) -> tuple[Figure, list[Axes]]:
    """A constrained-layout figure, made through pyplot so notebooks show it."""
    fig = plt.figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, [a for row in axes for a in row]


def style_axes(ax: Axes, *, grid: Literal["x", "y", "both"] | None = "y") -> None:
    """Light grid behind the data, no top/right spines, report font sizes."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(GREY)
    ax.tick_params(labelsize=FONT["tick"], color=GREY)
    ax.set_axisbelow(True)
    if grid is not None:
        ax.grid(True, axis=grid, color=LIGHT_GREY, linewidth=0.6)
    ax.xaxis.label.set_fontsize(FONT["label"])
    ax.yaxis.label.set_fontsize(FONT["label"])


def money_axis(
    ax: Axes,
    axis: str,
    scale: MoneyScale,
    basis: str,
    dollar_year: int | None,
    discount_rate: float | None,
) -> None:
    """Label an axis plotted in dollars / ``scale.factor``."""
    label = money_label(scale, basis, dollar_year, discount_rate)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(money_formatter(MoneyScale(1.0, scale.word)))
    target.set_label_text(label, fontsize=FONT["label"])


def fy_axis(ax: Axes, years: Sequence[int] | np.ndarray, *, max_labels: int = 12) -> None:
    """Fiscal-year ticks on the x axis, labelled 'FY2017', thinned to ``max_labels``."""
    fy = [int(y) for y in years]
    if not fy:
        return
    step = max(1, math.ceil(len(fy) / max_labels))
    ticks = fy[::step]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"FY{round(v)}"))
    ax.set_xlim(fy[0] - 0.6, fy[-1] + 0.6)
    ax.set_xlabel("Fiscal year", fontsize=FONT["label"])


def integer_axis(ax: Axes) -> None:
    """Integer-only ticks on the y axis."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def figure_of(ax: Axes) -> Figure | None:
    """The root figure holding ``ax`` (through any subfigure)."""
    fig: Any = ax.get_figure()
    root = getattr(fig, "figure", fig)
    return root if isinstance(root, Figure) else None


def wrap(text: str, fig: Figure | None, fontsize: float, share: float = 0.8) -> str:
    """Wrap each line of ``text`` to about ``share`` of the figure's width."""
    width_in = float(fig.get_size_inches()[0]) if fig is not None else 8.0
    chars = max(20, int(share * width_in * 72.0 / (0.55 * fontsize)))
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def set_title(ax: Axes, title: str | None, default: str) -> None:
    """``title`` if given (``''`` for none), else ``default`` wrapped; left-aligned."""
    text = wrap(default, figure_of(ax), FONT["title"]) if title is None else title
    ax.set_title(text, loc="left", fontsize=FONT["title"])


def add_footnote(fig: Figure, text: str) -> None:
    """The source line, bottom left of the figure, wrapped to its width; the layout
    keeps the room it needs free."""
    wrapped = wrap(text, fig, FONT["footnote"], share=0.96)
    lines = wrapped.count("\n") + 1
    height_in = float(fig.get_size_inches()[1])
    room = (lines * FONT["footnote"] * 1.3 + 8.0) / 72.0 / height_in
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0.0, room, 1.0, 1.0 - room))
    fig.text(0.01, 4.0 / 72.0 / height_in, wrapped, ha="left", va="bottom",
             fontsize=FONT["footnote"], color=GREY)


# -- context: what a chart's title and source line say ---------------------------
@dataclass(frozen=True)
class Context:
    """What a chart knows about the run behind it."""

    name: str | None = None
    file: str | None = None
    baseline_file: str | None = None
    baseline_name: str | None = None
    draws: int | None = None
    seed: int | None = None
    deterministic: bool = True
    dollar_year: int | None = None
    discount_rate: float | None = None

    @classmethod
    def of(cls, obj: Any) -> Context:
        """From a Result, or from anything with a ``scenario`` attribute."""
        scenario = getattr(obj, "scenario", None)
        if scenario is None:
            return cls()
        base = getattr(scenario, "baseline", None)
        has_base = getattr(obj, "has_baseline", base is not None)
        return cls(
            name=scenario.name,
            file=_file(scenario),
            baseline_file=_file(base) if base is not None and has_base else None,
            baseline_name=base.name if base is not None and has_base else None,
            draws=getattr(obj, "draws", None),
            seed=getattr(obj, "seed", None),
            deterministic=bool(getattr(obj, "deterministic", True)),
            dollar_year=getattr(obj, "dollar_year", scenario.dollar_year),
            discount_rate=getattr(obj, "discount_rate", scenario.discount_rate),
        )


def _file(scenario: Any) -> str:
    path = getattr(scenario, "path", None)
    return path.name if path is not None else "defined in code"


def source_line(ctx: Context, note: str = "") -> str:
    """'Source: enforcecost 0.1.0, scenario eo13768.toml (baseline ...); N draws, seed S.'"""
    parts = [f"Source: enforcecost {__version__}"]
    if ctx.file is not None:
        scen = f"scenario {ctx.file}"
        if ctx.baseline_file is not None:
            scen += f" vs. baseline {ctx.baseline_file}"
        parts.append(", " + scen)
        if ctx.deterministic:
            parts.append("; central values (one deterministic run)")
        elif ctx.draws is not None:
            parts.append(f"; {ctx.draws:,} draws")
            if ctx.seed is not None:
                parts.append(f", seed {ctx.seed}")
    text = "".join(parts) + "."
    return f"{text} {note}".strip()


# -- plumbing shared by the chart functions -------------------------------------
FOOTNOTE_A = "Inputs flagged [A] rest on an assumption, not a published source."


def axes_for(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Axes, bool]:
    """The Axes to draw in, and whether this call made its figure."""
    if ax is not None:
        return ax, False
    _, axes = new_figure(figsize)
    return axes[0], True


def finish(ax: Axes, made: bool, footnote: bool | str | None, default: str) -> Axes:
    """Add the source line (``default``, or the ``footnote`` string) when the chart
    made its figure and ``footnote`` is not False; return ``ax``."""
    if made and footnote is not False:
        fig = figure_of(ax)
        if fig is not None:
            add_footnote(fig, footnote if isinstance(footnote, str) else default)
    return ax


def check_choice(name: str, value: object, options: Sequence[object]) -> None:
    """ValueError naming the argument, the allowed values and the value given."""
    if value not in options:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name!r} must be one of {shown}: {value!r}")


def check_top(value: object, minimum: int = 1) -> int:
    """``top`` must be a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"'top' must be a whole number >= {minimum}: {value!r}")
    return int(value)


def title_text(ctx: Context, what: str) -> str:
    """Scenario name (when known) over what the chart shows."""
    return f"{ctx.name}\n{what}" if ctx.name else what


def basis_context(obj: Any) -> tuple[int | None, float | None]:
    """Dollar year and discount rate of the run behind ``obj``, when known."""
    ctx = Context.of(obj)
    return ctx.dollar_year, ctx.discount_rate


def legend(ax: Axes, **kwargs: Any) -> None:
    """A frameless legend in the report font size."""
    opts: dict[str, Any] = {"fontsize": FONT["legend"], "frameon": False}
    opts.update(kwargs)
    ax.legend(**opts)
