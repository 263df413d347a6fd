"""The house style of :mod:`enforcecost.plot` (private): colours, fonts, hatches, titles, footnotes.

One place for how every chart looks, so they all read the same and survive
grayscale printing: colours come from the Okabe–Ito colour-blind-safe palette
and every categorical colour is paired with a hatch or a marker. Numbers and
their axes are in :mod:`._format`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .._version import __version__
from ..provisions import LABELS, PROVISIONS
from ..vocab import MONEY_GROUP, MONEY_GROUP_LABEL, PERSPECTIVE_LABELS

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "ASSUMPTION_HATCH",
    "COLORS",
    "EDGE",
    "FONT",
    "GREY",
    "RC",
    "Context",
    "HouseStyle",
    "add_footnote",
    "figure_of",
    "input_label",
    "legend",
    "new_figure",
    "perspective_words",
    "provision_hatch",
    "provision_label",
    "provision_style",
    "set_title",
    "source_line",
    "style",
    "style_axes",
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
    ax.grid(False)  # only the grid asked for, whatever the rcParams (e.g. inside style())
    if grid is not None:
        ax.grid(True, axis=grid, color=LIGHT_GREY, linewidth=0.6)
    ax.xaxis.label.set_fontsize(FONT["label"])
    ax.yaxis.label.set_fontsize(FONT["label"])


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
    """The scenario's provenance: its file's name, and what was changed in code since."""
    provenance = getattr(scenario, "provenance", None)
    if isinstance(provenance, str):
        return provenance
    path = getattr(scenario, "path", None)
    return path.name if path is not None else "defined in code"


def source_line(ctx: Context, note: str = "") -> str:
    """'Source: enforcecost 0.1.0, scenario eo13768.toml vs. baseline ...; N draws, seed S.'

    Each scenario by its provenance: ``eo13768.toml, modified in code: x`` when it
    was changed in code after it was read (then ``; baseline ...``).
    """
    parts = [f"Source: enforcecost {__version__}"]
    if ctx.file is not None:
        scen = f"scenario {ctx.file}"
        if ctx.baseline_file is not None:
            # after a list of changes made in code, 'vs.' would read as part of it
            joint = "; baseline " if "modified in code" in ctx.file else " vs. baseline "
            scen += joint + ctx.baseline_file
        parts.append(", " + scen)
        if ctx.deterministic:
            parts.append("; central values (one deterministic run)")
        elif ctx.draws is not None:
            parts.append(f"; {ctx.draws:,} draws")
            if ctx.seed is not None:
                parts.append(f", seed {ctx.seed}")
    text = "".join(parts) + "."
    return f"{text} {note}".strip()


def legend(ax: Axes, **kwargs: Any) -> None:
    """A frameless legend in the report font size."""
    opts: dict[str, Any] = {"fontsize": FONT["legend"], "frameon": False}
    opts.update(kwargs)
    ax.legend(**opts)


# -- the house style for users' own figures ------------------------------------
#: The report's look as matplotlib rcParams: font sizes, the Okabe–Ito colour
#: cycle, grey left/bottom spines and ticks, a light horizontal grid behind the
#: data, left-aligned titles, frameless legends, constrained layout.
RC: Mapping[RcKeyType, Any] = MappingProxyType({
    "axes.prop_cycle": cycler(color=[COLORS[c] for c in _CYCLE]),
    "font.size": FONT["label"],
    "axes.titlesize": FONT["title"],
    "axes.titlelocation": "left",
    "figure.titlesize": FONT["title"],
    "axes.labelsize": FONT["label"],
    "xtick.labelsize": FONT["tick"],
    "ytick.labelsize": FONT["tick"],
    "legend.fontsize": FONT["legend"],
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": GREY,
    "xtick.color": GREY,
    "ytick.color": GREY,
    "xtick.labelcolor": "black",
    "ytick.labelcolor": "black",
    "axes.axisbelow": True,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": LIGHT_GREY,
    "grid.linewidth": 0.6,
    "figure.constrained_layout.use": True,
})


class HouseStyle:
    """The report's style for your own figures: a context manager and its palette.

    Entering it (``with plot.style():``) applies :data:`RC` to the figures made
    inside, through :func:`matplotlib.rc_context`; leaving it restores the
    previous rcParams. The palette can be read with or without entering it.

    Attributes
    ----------
    rc : Mapping[str, Any]
        The rcParams applied (:data:`RC`).
    colors : Mapping[str, str]
        The Okabe–Ito colours by name (``'blue'``, ``'orange'``, ...), hex.
    cycle : tuple of str
        The colour cycle, hex, in order.
    fonts : Mapping[str, float]
        Font sizes in points by role: ``title``, ``label``, ``tick``,
        ``legend``, ``annotation``, ``footnote``.
    grey, edge : str
        Secondary text and rules; bar edges (hex).
    assumption_hatch : str
        The hatch that flags an assumption-based input.
    """

    rc: Mapping[RcKeyType, Any] = RC
    colors: Mapping[str, str] = MappingProxyType(COLORS)
    cycle: tuple[str, ...] = tuple(COLORS[c] for c in _CYCLE)
    fonts: Mapping[str, float] = MappingProxyType(FONT)
    grey: str = GREY
    edge: str = EDGE
    assumption_hatch: str = ASSUMPTION_HATCH

    def __init__(self) -> None:
        self._entered: list[ExitStack] = []

    def provision(self, provision: str) -> dict[str, Any]:
        """A provision's bar style, as in every chart: ``facecolor``, ``hatch``,
        ``edgecolor`` and ``linewidth`` (points), keywords of
        :meth:`~matplotlib.axes.Axes.bar`."""
        return provision_style(provision)

    def label(self, provision: str) -> str:
        """A provision's label, as in every chart's legend."""
        return provision_label(provision)

    def __enter__(self) -> HouseStyle:
        stack = ExitStack()
        stack.enter_context(mpl.rc_context(dict(self.rc)))
        self._entered.append(stack)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._entered.pop().close()


def style() -> HouseStyle:
    """The report's house style, for figures you make yourself.

    Returns
    -------
    HouseStyle
        A context manager: ``with plot.style():`` applies the report's
        rcParams (font sizes in points, the Okabe–Ito colour-blind-safe colour
        cycle, grey spines and ticks, a light grid, left-aligned titles,
        frameless legends) to the figures made inside and restores the previous
        ones on leaving. Its palette is readable with or without ``with``:
        ``.colors``, ``.cycle``, ``.fonts``, and ``.provision(name)`` for a
        provision's bar colour and hatch (the same in every chart; pair colour
        with hatch so bars stay apart in grayscale) with ``.label(name)``.

    Notes
    -----
    The charts of :mod:`enforcecost.plot` set their style themselves, so they
    look the same inside or outside ``style()``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from enforcecost import plot
    >>> with plot.style() as house:
    ...     fig, ax = plt.subplots()
    ...     bars = ax.bar([2017, 2018], [1.0, 2.0], label=house.label("hiring"),
    ...                   **house.provision("hiring"))
    >>> house.provision("hiring")["facecolor"] == house.cycle[0]
    True
    >>> plt.close(fig)
    """
    return HouseStyle()
