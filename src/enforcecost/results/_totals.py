"""The kept distributions of a reduction-only result's net totals, and their channel layout.

:class:`Channels` is the one definition of the channel order: the model
(:func:`enforcecost.model.run_block`) writes each draw's totals in it and
:class:`Totals` reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..reduce import QuantileSketch, width_for
from ..vocab import BASES

__all__ = ["SKETCH_ALPHA", "SKETCH_FLOOR", "SKETCH_MIN", "Channels", "Totals"]

#: Relative accuracy of the quantile sketches of a reduction-only result (see
#: :class:`Totals`). Each sketched value is a draw's distance from the central run,
#: so the error is a share of the spread, not of the level. At the 5th percentile of
#: a normal-like total that distance is about 1.6 sd, and the Monte Carlo standard
#: error of the percentile about 2.1 sd / sqrt(n): 6.7e-4 sd at 10 million draws.
#: A bucket's representative is within alpha = 5e-4 of its values (8e-4 sd there:
#: DDSketch's guarantee alone would not be well under that standard error), so the
#: views read each order statistic within its bucket (a bound of 2 alpha) as if the
#: bucket's draws were spread evenly: with many draws per bucket the error is then
#: about sqrt(P) / (2 sqrt(p (1 - p))) times the standard error, P the bucket's share
#: of the draws (1.7e-4 at p5): 3%, at any number of draws (measured on eo13768 at
#: 200,000 draws: at most 7% of the standard error over perspectives and p5..p95).
#: Size: 13,865 buckets per sign and channel (down to SKETCH_FLOOR of the largest
#: distance), 5 MiB for eo13768's 24 channels whatever the draws; alpha = 1e-4
#: would take five times as much and five times as long to merge.
SKETCH_ALPHA = 5e-4
#: Distances below this share of a channel's largest one count as zero: an absolute
#: error under 1e-6 of the largest distance (about 1e-5 sd), far below any standard error.
SKETCH_FLOOR = 2.0**-20
#: Distances below this (dollars; the resolution of the exact means) count as zero.
SKETCH_MIN = 2.0**-10


@dataclass(frozen=True)
class Channels:
    """The order of the kept totals: perspective-major, then basis
    (:data:`~enforcecost.vocab.BASES` order), then span.

    Attributes
    ----------
    perspectives : tuple of str
        Perspectives with ledger lines, in :data:`~enforcecost.vocab.PERSPECTIVES` order.
    spans : tuple of int
        Window totals over the first N fiscal years, ascending, e.g. ``(5, 10)``.
    """

    perspectives: tuple[str, ...]
    spans: tuple[int, ...]

    @staticmethod
    def count(perspectives: int, spans: int) -> int:
        """Number of channels of ``perspectives`` perspectives and ``spans`` spans."""
        return perspectives * len(BASES) * spans

    @property
    def size(self) -> int:
        """Number of channels."""
        return self.count(len(self.perspectives), len(self.spans))

    def spans_of(self, perspective: str, basis: str) -> range:
        """The channels of a perspective's totals in one basis, one per span (``spans`` order)."""
        p, b = self.perspectives.index(perspective), BASES.index(basis)
        start = (p * len(BASES) + b) * len(self.spans)
        return range(start, start + len(self.spans))

    def channel(self, perspective: str, basis: str, span: int) -> int:
        """Channel of a perspective's total over the first ``span`` years."""
        return self.spans_of(perspective, basis)[self.spans.index(span)]


@dataclass(frozen=True)
class Totals:
    r"""The distribution of a reduction-only result's net totals, by perspective.

    One *channel* per perspective, basis and span (window totals: the whole
    window and its first five years, bases nominal, real and pv; 24 channels
    with four perspectives and ten years; order: :class:`Channels`). Each
    channel keeps, over all draws, the exact mean and mean square of the
    draws' distances from the total of the run at central values, and a
    quantile sketch of those distances
    (:class:`~enforcecost.reduce.QuantileSketch`, relative accuracy
    :data:`SKETCH_ALPHA`). Its size does not depend on the number of draws,
    and it is the same, bit for bit, whatever the blocks the draws ran in.

    Attributes
    ----------
    perspectives : tuple of str
        Perspectives with ledger lines, in :data:`PERSPECTIVES` order.
    spans : tuple of int
        Window totals over the first N fiscal years, e.g. ``(5, 10)``.
    reference : ndarray, shape (channels,)
        Central-value totals (dollars).
    moments : ndarray, shape (2, channels)
        Mean distance from the reference and mean squared distance over
        all draws (dollars, dollars squared), from exact fixed-point sums.
    sketch : QuantileSketch
        The distances, ``channels`` channels.
    draws : int

    Notes
    -----
    Quantiles are ``reference + Q``, with ``Q`` the sketch's quantile of the
    distances: :func:`numpy.quantile`'s (linear) definition with each order
    statistic read within its bucket, so within :math:`2 \alpha / (1 -
    \alpha)` (0.1%) of the distance from the central value of the draws of
    rank :math:`\lfloor q (n - 1) \rfloor` and the next (a share of the
    spread, not of the level), and in practice far closer (see
    :data:`SKETCH_ALPHA`); distances below :data:`SKETCH_FLOOR` of the
    channel's largest count as 0. The standard deviation is
    :math:`\sqrt{(\overline{d^2} - \bar d^2)\, n / (n - 1)}`.
    """

    perspectives: tuple[str, ...]
    spans: tuple[int, ...]
    reference: np.ndarray
    moments: np.ndarray
    sketch: QuantileSketch
    draws: int

    @staticmethod
    def size(perspectives: int, spans: int) -> int:
        """Number of channels."""
        return Channels.count(perspectives, spans)

    @staticmethod
    def empty_sketch(channels: int) -> QuantileSketch:
        """An empty sketch of ``channels`` channels with the accuracy of every result."""
        return QuantileSketch.empty(channels, SKETCH_ALPHA, SKETCH_MIN,
                                    width_for(SKETCH_ALPHA, SKETCH_FLOOR))

    @property
    def layout(self) -> Channels:
        """The channel order."""
        return Channels(self.perspectives, self.spans)

    @property
    def nbytes(self) -> int:
        """Memory held by the distributions (bytes): fixed, whatever the draws."""
        return int(self.sketch.nbytes + self.reference.nbytes + self.moments.nbytes)

    def window(self, perspective: str, basis: str, span: int) -> int:
        """Channel of a perspective's total over the first ``span`` years."""
        return self.layout.channel(perspective, basis, span)

    def kept_channel(self, perspective: str, basis: str, ymask: np.ndarray) -> int | None:
        """Channel of the total over the selected years ``ymask`` (shape ``(years,)``):
        -1 for a perspective without ledger lines, None when not kept (only the
        totals over the first ``span`` years are)."""
        span = int(ymask.sum())
        if span not in self.spans or not ymask[:span].all():
            return None
        if perspective not in self.perspectives:
            return -1
        return self.window(perspective, basis, span)

    def sd(self, channels: np.ndarray) -> np.ndarray:
        """Sample standard deviation (``ddof=1``) of the channels' totals (0 for one draw)."""
        n = self.draws
        if n <= 1:
            return np.zeros(np.shape(channels))
        m1, m2 = self.moments[0][channels], self.moments[1][channels]
        return np.asarray(np.sqrt(np.maximum(m2 - m1 * m1, 0.0) * (n / (n - 1))))

    def quantile(self, channels: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Quantiles of the channels' totals, shape ``(*channels.shape, *q.shape)``."""
        dist = self.sketch.quantile(q)[channels]
        ref = self.reference[channels].reshape(np.shape(channels) + (1,) * np.ndim(q))
        return np.asarray(ref + dist)
