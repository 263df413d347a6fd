"""Morris elementary-effects screening of any vectorized function."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._common import (
    LEVELS,
    FloatArray,
    Func,
    Seed,
    SupportsPPF,
    _check_batch,
    _check_confidence,
    _check_dists,
    _check_func,
    _check_int,
    _check_names,
    _check_output_names,
    _evaluate,
    _frozen,
    _ppf,
    _seed_sequence,
    _squeezed,
)
from ._results import ConfidenceInterval, MorrisResult

__all__ = ["morris_indices"]

_SCALE_PROBS = (0.05, 0.95)  # elementary effects are per (p95 - p5) of each input
_TAIL = 1e-3  # the end levels 0 and 1 are clipped to [_TAIL, 1 - _TAIL]
_BOOT_CELLS = 1 << 22  # resampled values held at once by the bootstrap


def _check_levels(levels: object) -> int:
    p = _check_int(levels, "levels", 2)
    if p % 2:
        raise ValueError(f"'levels' must be an even integer >= 2: {p}")
    return p


def morris_indices(
    func: Func,
    dists: Sequence[SupportsPPF],
    trajectories: int,
    *,
    levels: int = LEVELS,
    seed: Seed = None,
    confidence: float = 0.95,
    n_resamples: int = 1000,
    names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    batch: int | None = None,
) -> MorrisResult:
    r"""Morris elementary effects: mu, mu* and sigma with a bootstrap interval for mu*.

    Parameters
    ----------
    func : callable
        ``func(x)`` maps an ``(m, d)`` float array to ``(m,)`` or ``(m, k)``.
    dists : sequence of distributions, length d
        The inputs' marginal distributions: anything with a vectorized ``ppf``.
    trajectories : int
        One-at-a-time trajectories ``r`` >= 2, each of ``d + 1`` points; cost
        ``r (d + 1)`` function evaluations.
    levels : int, default 4
        Grid levels ``p`` per input, even and >= 2.
    seed : None, int or numpy.random.SeedSequence, optional
        The only source of randomness, through ``numpy.random.SeedSequence(seed)``;
        0 is a seed like any other, None takes fresh entropy.
    confidence : float, default 0.95
        Confidence level of ``mu_star_interval``, in (0, 1).
    n_resamples : int, default 1000
        Bootstrap resamples of the trajectories, >= 1.
    names : sequence of str, optional
        Input names (default ``x0, ..., x{d-1}``).
    output_names : sequence of str, optional
        Names of the ``k`` outputs of a function with 2-D output.
    batch : int, optional
        Rows per call to ``func`` (default: all in one call).

    Returns
    -------
    MorrisResult
        ``mu``, ``mu_star``, ``sigma`` of shape ``(d,)`` (or ``(k, d)``), the
        bootstrap interval of ``mu_star``, the elementary effects and
        ``to_frame()``.

    Raises
    ------
    TypeError, ValueError
        If an argument breaks a rule (the message names the argument, the rule
        and the value) or ``func`` returns a wrong shape or non-finite values.

    Notes
    -----
    **Design** (Morris 1991). Each input has ``p`` levels at probabilities
    :math:`u_j = j/(p-1)`, :math:`j = 0, \dots, p-1`, mapped to natural units
    through ``dists[i].ppf``. A trajectory starts at a random grid point whose
    coordinates are drawn from the levels where a jump of :math:`p/2` levels
    stays on the grid, then moves one input at a time, in random order and
    random direction, by :math:`\Delta = p/(2(p-1))` (:math:`p/2` levels; 2/3
    for ``p = 4``). The end levels 0 and 1 are clipped to
    :math:`[10^{-3}, 1 - 10^{-3}]`, so unbounded laws get finite values (a
    normal's end levels are its mean :math:`\pm 3.09\sigma`) and bounded laws
    stay within 0.1% of their support's ends. Levels at the centres of ``p``
    equal-probability bins, :math:`(j + 1/2)/p`, were rejected: the jump is
    then exactly 1/2 in probability whatever ``p``, so any effect periodic
    with half the range vanishes (the Ishigami function's :math:`x_2` gets
    :math:`\mu^* = 0`). Trajectories are random, not selected for spread
    (Campolongo et al. 2007's optimisation is not applied).

    **Elementary effects** are scaled to be comparable across inputs: the
    change of output per change of the input equal to its 5%-95% range,

    .. math::

        EE_i = \frac{f(x + \delta e_i) - f(x)}{\delta / (q_{0.95,i} - q_{0.05,i})},

    with :math:`\delta` the step in natural units (signed). For a linear
    function :math:`f = \sum_i c_i x_i` this is exactly
    :math:`c_i (q_{0.95,i} - q_{0.05,i})` for every trajectory.

    **Measures.** :math:`\mu_i` is the mean of the :math:`r` effects,
    :math:`\mu_i^*` the mean of their absolute values (Campolongo et al. 2007),
    :math:`\sigma_i` their standard deviation (``ddof=1``), large for
    non-linear or interacting inputs. The interval for :math:`\mu^*` is the
    percentile bootstrap over trajectories (resampled with replacement,
    ``n_resamples`` times).

    References
    ----------
    .. [1] Morris, M. D. (1991). Factorial sampling plans for preliminary
       computational experiments. *Technometrics* 33(2), 161-174.
       doi:10.1080/00401706.1991.10484804
    .. [2] Campolongo, F., Cariboni, J. and Saltelli, A. (2007). An effective
       screening design for sensitivity analysis of large models.
       *Environmental Modelling & Software* 22(10), 1509-1518.
       doi:10.1016/j.envsoft.2006.10.004

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from enforcecost.sensitivity import morris_indices
    >>> def linear(x):
    ...     return x @ np.array([1.0, -2.0, 0.5])
    >>> res = morris_indices(linear, [stats.uniform(0, 1)] * 3, 20, seed=0)
    >>> res.mu_star.round(3)  # |c_i| times the p5-p95 range, 0.9
    array([0.9 , 1.8 , 0.45])
    >>> res.to_frame()[["mu", "mu_star", "sigma"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
             mu  mu_star  sigma
    input
    x0     0.90     0.90    0.0
    x1    -1.80     1.80    0.0
    x2     0.45     0.45    0.0
    """
    _check_func(func)
    dist_list = _check_dists(dists)
    d = len(dist_list)
    r = _check_int(trajectories, "trajectories", 2)
    p = _check_levels(levels)
    conf = _check_confidence(confidence)
    b = _check_int(n_resamples, "n_resamples", 1)
    names_ = _check_names(names, d)
    batch_ = _check_batch(batch)
    design_seed, boot_seed = _seed_sequence(seed).spawn(2)

    # Quantiles of each input at the p levels and its 5%-95% range.
    half = p // 2
    probs = np.clip(np.arange(p) / (p - 1), _TAIL, 1.0 - _TAIL)
    grid = np.empty((d, p))
    scale = np.empty(d)
    for i, dist in enumerate(dist_list):
        grid[i] = _ppf(dist, probs, i)
        q05, q95 = _ppf(dist, np.array(_SCALE_PROBS), i)
        scale[i] = q95 - q05
        if not scale[i] > 0:
            raise ValueError(
                f"'dists[{i}]' must have p95 > p5 to scale elementary effects: "
                f"p5 = {float(q05)!r}, p95 = {float(q95)!r}"
            )
        if np.any(grid[i, half:] == grid[i, :-half]):
            raise ValueError(
                f"'dists[{i}]' must map the {p} levels (probabilities {probs.tolist()}) "
                f"to values that differ {half} levels apart: {grid[i].tolist()}"
            )

    # Trajectories: level indices of shape (r, d + 1, d).
    rng = np.random.default_rng(design_seed)
    base = rng.integers(0, half, size=(r, d))
    up = rng.integers(0, 2, size=(r, d)).astype(bool)
    order = rng.permuted(np.tile(np.arange(d), (r, 1)), axis=1)  # input moved at each step
    step_of = np.argsort(order, axis=1)  # step at which each input moves
    start = base + half * ~up
    shift = np.where(up, half, -half)

    def design(lo: int, hi: int) -> FloatArray:
        """Rows ``lo..hi`` of the stacked trajectories (r * (d + 1), d), made on demand:
        the whole design is ``d + 1`` times the size of the elementary effects."""
        first, last = lo // (d + 1), (hi - 1) // (d + 1) + 1
        moved = np.arange(d + 1)[None, :, None] > step_of[first:last, None, :]
        level = start[first:last, None, :] + shift[first:last, None, :] * moved
        rows = np.asarray(grid[np.arange(d), level], dtype=np.float64).reshape(-1, d)
        return rows[lo - first * (d + 1) : hi - first * (d + 1)]

    y, one_d = _evaluate(func, design, r * (d + 1), batch_)
    k = y.shape[1]
    out_names = _check_output_names(output_names, k, one_d)

    # Effects by step (r, d, k), then by input (r, k, d).
    dy = np.diff(y.reshape(r, d + 1, k), axis=1)
    # each input moves once, from its start level by +-half: the signed step in its value
    before = np.take_along_axis(start, order, axis=1)
    after = before + np.take_along_axis(shift, order, axis=1)
    dx = grid[order, after] - grid[order, before]  # (r, d), by step
    by_step = dy * (scale[order] / dx)[:, :, None]
    effects = np.take_along_axis(by_step, step_of[:, :, None], axis=1).transpose(0, 2, 1)

    mu = effects.mean(axis=0)
    abs_effects = np.abs(effects)
    mu_star = abs_effects.mean(axis=0)
    sigma = effects.std(axis=0, ddof=1)

    boot_rng = np.random.default_rng(boot_seed)
    chunk = max(1, _BOOT_CELLS // abs_effects.size)
    boot = np.empty((b, k, d))
    for lo in range(0, b, chunk):
        hi = min(lo + chunk, b)
        idx = boot_rng.integers(0, r, size=(hi - lo, r))
        boot[lo:hi] = abs_effects[idx].mean(axis=1)
    alpha = (1.0 - conf) / 2.0
    low, high = np.quantile(boot, [alpha, 1.0 - alpha], axis=0)

    def shaped(a: FloatArray, axis: int = 0) -> FloatArray:
        return _squeezed(a, one_d, axis)

    return MorrisResult(
        mu=shaped(mu),
        mu_star=shaped(mu_star),
        sigma=shaped(sigma),
        mu_star_interval=ConfidenceInterval(shaped(low), shaped(high)),
        elementary_effects=shaped(effects, axis=1),
        scale=_frozen(scale),
        names=names_,
        output_names=out_names,
        trajectories=r,
        levels=p,
        evaluations=r * (d + 1),
        n_resamples=b,
        confidence=conf,
    )
