"""Variance-based (Sobol') sensitivity indices of any vectorized function.

The design is Saltelli's (2010): two matrices ``A`` and ``B`` from one scrambled
Sobol' sequence in ``2d`` dimensions and, for each input ``i``, ``A_B^(i)`` (``A``
with column ``i`` from ``B``). First-order indices use Saltelli's (2010)
estimator, total indices Jansen's (1999). Confidence intervals come from
independent randomizations of the quasi-random design (randomized QMC
replicates), not from an iid bootstrap, which ignores the variance reduction of
scrambled Sobol' points and gives intervals several times too wide.

The design and the streaming reduction of its outputs are in :mod:`._saltelli`,
the result in :mod:`._results`; this module is the estimator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy import stats

from ._common import (
    REPLICATES,
    FloatArray,
    Func,
    Seed,
    SupportsPPF,
    _check_batch,
    _check_confidence,
    _check_dists,
    _check_func,
    _check_names,
    _check_output_names,
    _evaluations,
    _frozen,
    _seed_sequence,
    _squeezed,
)
from ._results import ConfidenceInterval, SobolResult
from ._saltelli import (
    _MAX_SOBOL_DIM,
    _blocks,
    _check_design_size,
    _check_groups,
    _Reductions,
    _SaltelliDesign,
)

__all__ = ["sobol_indices"]


def sobol_indices(
    func: Func,
    dists: Sequence[SupportsPPF],
    n: int,
    *,
    seed: Seed = None,
    replicates: int = REPLICATES,
    groups: Mapping[str, str] | Sequence[str] | None = None,
    confidence: float = 0.95,
    names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    batch: int | None = None,
) -> SobolResult:
    r"""First-order and total Sobol' indices with randomized-QMC confidence intervals.

    Parameters
    ----------
    func : callable
        ``func(x)`` maps an ``(m, d)`` float array of inputs (one row per model
        run) to an ``(m,)`` array, or to ``(m, k)`` for ``k`` outputs. It must be
        vectorized over rows and return finite values.
    dists : sequence of distributions, length d
        The inputs' independent marginal distributions: anything with a
        vectorized ``ppf`` (e.g. frozen ``scipy.stats`` laws).
    n : int
        Base points over all replicates (rows of ``A``); ``n / replicates`` must
        be a power of 2 >= 2. Total cost ``n * (d + 2)`` function evaluations
        (``n * (d + G' + 2)`` with groups, see ``groups``).
    seed : None, int or numpy.random.SeedSequence, optional
        The only source of randomness, through ``numpy.random.SeedSequence(seed)``;
        0 is a seed like any other, None takes fresh entropy from the OS.
    replicates : int, default 16
        Independent scramblings ``R`` >= 2 of ``n / R`` points each, from which
        the confidence intervals are computed.
    groups : mapping or sequence of str, optional
        A group for every input: a mapping input name -> group label, or one label
        per input. Adds closed first-order and total indices per group.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).
    names : sequence of str, optional
        Input names (default ``x0, ..., x{d-1}``).
    output_names : sequence of str, optional
        Names of the ``k`` outputs of a function with 2-D output (default
        ``y0, ..., y{k-1}``).
    batch : int, optional
        Rows per call to ``func``, to bound memory (default: all rows in one call).
        Results are identical, bit for bit, for every ``batch``.

    Returns
    -------
    SobolResult
        Indices of shape ``(d,)`` (or ``(k, d)``), intervals, replicate estimates,
        output mean and variance, group indices and ``to_frame()``.

    Raises
    ------
    TypeError
        If an argument has the wrong type, a distribution has no ``ppf`` or
        ``func`` returns non-numbers.
    ValueError
        If an argument breaks a rule (each message names the argument, the rule
        and the value) or ``func`` returns a wrong shape or non-finite values.

    See Also
    --------
    scipy.stats.sobol_indices : the same estimators with an iid bootstrap.

    Notes
    -----
    **Design.** Replicate :math:`r = 1, \dots, R` draws :math:`m = n/R` points of
    an independently scrambled (Owen's LMS + digital shift) Sobol' sequence in
    :math:`2d` dimensions; the first :math:`d` columns form :math:`A`, the last
    :math:`d` form :math:`B` (Saltelli 2010, sec. 5). Each point is moved to the
    centre of its :math:`2^{-30}` cell, so probabilities lie in
    :math:`[2^{-31}, 1 - 2^{-31}]` and unbounded laws get finite quantiles (at
    most 6.1 standard deviations out for a normal); columns are mapped through
    ``dists[i].ppf``. :math:`A_B^{(i)}` is :math:`A` with column
    :math:`i` from :math:`B`, and :math:`A_B^{(g)}` is :math:`A` with all the
    columns of group :math:`g` from :math:`B` (a group of one input reuses
    :math:`A_B^{(i)}`). All rows go to ``func`` in one call, or ``batch`` rows
    at a time, in the order :math:`A, B, A_B^{(1)}, \dots, A_B^{(d)}`, then
    the groups' :math:`A_B^{(g)}`.

    **Memory.** The design is never held whole: each call's rows are generated
    when asked for, each replicate's Sobol' engine reached directly at the
    first row needed (the same points, bit for bit), and only those rows and
    the columns their blocks take are mapped through the ``ppf`` (the previous
    call's base rows are reused when a call needs no others). Outputs are
    reduced as they arrive: :math:`f(A)` and :math:`f(B)` are kept
    (:math:`2nk` numbers) and each :math:`A_B` block adds into per-replicate
    sums of the numerators below, one fixed tile of ``min(4096, m)`` rows at a
    time (tile sums added in row order), so memory is
    :math:`O(nk + (d + G') R k)` plus one ``batch`` of rows, and results are
    identical, bit for bit, for every ``batch``. The price is that base rows
    are generated and mapped once per block rather than once (about
    :math:`d + 1` ``ppf`` values per model run), unless ``batch`` is None or a
    multiple of ``n``.

    **Estimators.** With outputs centred by the pooled mean :math:`\hat\mu` of
    :math:`f(A)` and :math:`f(B)` over all replicates (Sobol' and Levitan 1999;
    centring by a constant leaves both estimators' expectations unchanged and
    reduces the first-order estimator's variance),

    .. math::

        N_{1,i}^{(r)} = \frac{1}{m}\sum_j f(B)_j \left(f(A_B^{(i)})_j - f(A)_j\right),
        \qquad
        N_{T,i}^{(r)} = \frac{1}{2m}\sum_j \left(f(A)_j - f(A_B^{(i)})_j\right)^2,

        V^{(r)} = \frac{1}{2m}\sum_j \left(f(A)_j^2 + f(B)_j^2\right),

    the first-order numerator of Saltelli et al. (2010, Table 2 (b)) and the
    total one of Jansen (1999), and the replicate estimates are
    :math:`S_i^{(r)} = N_{1,i}^{(r)} / V^{(r)}` and
    :math:`S_{T,i}^{(r)} = N_{T,i}^{(r)} / V^{(r)}`. Grouped indices use
    :math:`A_B^{(g)}` in place of :math:`A_B^{(i)}`.

    **Reported estimate: pooled.** ``first_order`` is
    :math:`\bar N_{1,i} / \bar V` (means over replicates), i.e. the same
    estimator on all :math:`n` points, rather than the mean of the
    :math:`R` ratios :math:`\bar S_i`. Both are consistent, but a ratio has a
    bias of order :math:`1/m` that averaging replicates does not remove,
    whereas the pooled ratio's bias is of order :math:`1/n`; it also uses all
    points for the variance. Its standard error equals that of
    :math:`\bar S_i` to first order (delta method), so the interval below
    applies to it.

    **Interval.** The :math:`R` replicates are independent and identically
    distributed, each an unbiased randomized-QMC estimate of the numerators
    (Owen 2013, ch. 17), so

    .. math::

        \hat S_i \pm t_{R-1,\,(1+c)/2}\, \frac{s_R}{\sqrt R},

    with :math:`s_R` the standard deviation (``ddof=1``) of
    :math:`S_i^{(1)}, \dots, S_i^{(R)}` and :math:`c` = ``confidence``. An iid
    bootstrap of the rows (SALib, ``scipy.stats.sobol_indices``) treats
    scrambled Sobol' points as independent and ignores their negative
    correlation; for smooth integrands its intervals are several times too wide.

    **Choosing R: honesty costs some accuracy.** The pooled estimate's
    variance is that of an :math:`m`-point estimate divided by :math:`R`. If
    the scrambled-net variance decays like :math:`m^{-\alpha}` (:math:`\alpha
    = 1` is plain Monte Carlo; smooth integrands reach :math:`\alpha \approx
    2` or more), that is :math:`R^{\alpha - 1}` times the variance of one
    scrambling of all :math:`n` points: splitting is free for rough functions
    but, on the G-function (:math:`\alpha \approx 2`), 16 replicates have
    about 4 times the standard error of a single scrambling at the same cost
    (whose error the iid bootstrap then overstates 5-20 times). Few
    replicates keep more of the QMC gain but estimate :math:`s_R` from few
    values, which the Student :math:`t` quantile pays for (:math:`t_{3,
    0.975} = 3.18` at :math:`R = 4`, 2.13 at :math:`R = 16`). :math:`R`
    between 4 and 16 is sensible: fewer for smooth, cheap-to-resolve models,
    more for rough ones. Every replicate keeps all its scrambled points,
    including the first, and has a power of 2 of them (Owen 2020).

    An output whose variance is zero has undefined indices: they are NaN, as
    are intervals when a replicate's variance is zero.

    References
    ----------
    .. [1] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and
       Tarantola, S. (2010). Variance based sensitivity analysis of model
       output. Design and estimator for the total sensitivity index. *Computer
       Physics Communications* 181(2), 259-270. doi:10.1016/j.cpc.2009.09.018
    .. [2] Jansen, M. J. W. (1999). Analysis of variance designs for model
       output. *Computer Physics Communications* 117(1-2), 35-43.
       doi:10.1016/S0010-4655(98)00154-4
    .. [3] Owen, A. B. (2013). *Monte Carlo theory, methods and examples*,
       ch. 17 "Randomized quasi-Monte Carlo". https://artowen.su.domains/mc/
    .. [4] Owen, A. B. (2020). On dropping the first Sobol' point.
       arXiv:2008.08051. In *Monte Carlo and Quasi-Monte Carlo Methods 2020*,
       Springer (2022), 71-86.
    .. [5] Sobol', I. M. and Levitan, Yu. L. (1999). On the use of variance
       reducing multipliers in Monte Carlo computations of a global
       sensitivity index. *Computer Physics Communications* 117(1-2), 52-61.

    Examples
    --------
    The Ishigami function, whose indices are known (S1 = 0.314, 0.442, 0;
    ST = 0.558, 0.442, 0.244), 2**14 base points in 16 replicates:

    >>> import numpy as np
    >>> from scipy import stats
    >>> from enforcecost.sensitivity import sobol_indices
    >>> def ishigami(x):
    ...     return (np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2
    ...             + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0]))
    >>> dists = [stats.uniform(-np.pi, 2 * np.pi)] * 3
    >>> res = sobol_indices(ishigami, dists, 2**14, seed=1, names=["x1", "x2", "x3"])
    >>> res.evaluations  # n * (d + 2)
    81920
    >>> res.to_frame().round(3)  # doctest: +NORMALIZE_WHITESPACE
              S1  S1_low  S1_high     ST  ST_low  ST_high
    input
    x1     0.313   0.308    0.319  0.560   0.556    0.564
    x2     0.443   0.441    0.445  0.442   0.441    0.443
    x3    -0.003  -0.009    0.003  0.244   0.242    0.246

    Grouped indices: the closed first-order index of {x1, x3} is
    1 - S2 = 0.558 for this function.

    >>> res = sobol_indices(ishigami, dists, 2**14, seed=1, names=["x1", "x2", "x3"],
    ...                     groups={"x1": "x1+x3", "x2": "x2", "x3": "x1+x3"})
    >>> res.group_frame().round(3)  # doctest: +NORMALIZE_WHITESPACE
              S1  S1_low  S1_high     ST  ST_low  ST_high
    group
    x1+x3  0.558   0.554    0.562  0.559   0.554    0.563
    x2     0.443   0.441    0.445  0.442   0.441    0.443
    """
    _check_func(func)
    dist_list = _check_dists(dists)
    d = len(dist_list)
    n_, R, _ = _check_design_size(n, replicates)
    conf = _check_confidence(confidence)
    names_ = _check_names(names, d)
    group_index = _check_groups(groups, names_)
    batch_ = _check_batch(batch)
    seeds = _seed_sequence(seed)
    if 2 * d > _MAX_SOBOL_DIM:
        raise ValueError(
            f"'dists' must hold at most {_MAX_SOBOL_DIM // 2} distributions "
            f"(a Sobol' sequence in 2d dimensions): {d}"
        )

    # Blocks of n rows: A, B, A_B^(i) for each input, A_B^(g) for each group of >= 2.
    swaps, group_block = _blocks(d, group_index)

    # A and B: R independent scramblings of m points each, stacked replicate by replicate,
    # generated a call's rows at a time; the outputs are reduced as they arrive.
    n_rows = n_ * len(swaps)
    design = _SaltelliDesign(dist_list, seeds, n_, R, swaps)
    sums = _Reductions(n_, R, len(swaps))
    one_d = False
    for start, y, is_1d in _evaluations(func, design, n_rows, batch_):
        sums.add(start, y)
        one_d = is_1d
    k = sums.k
    out_names = _check_output_names(output_names, k, one_d)

    mu, var_r, n1_all, nt_all = sums.estimates()  # (k,), (R, k), (q, R, k), (q, R, k)
    var = var_r.mean(axis=0)  # (k,)
    t = float(stats.t.ppf(0.5 + conf / 2.0, R - 1))

    def estimate(f_x: FloatArray) -> tuple[FloatArray, FloatArray, ConfidenceInterval]:
        """Pooled estimate (k, q), replicates (R, k, q) and interval from numerators (q, R, k)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = (f_x.mean(axis=1) / var).T
            reps = np.moveaxis(f_x / var_r, 0, -1)
            half = t * reps.std(axis=0, ddof=1) / math.sqrt(R)
        pooled[var == 0.0] = np.nan  # (k, q): outputs of zero variance
        return pooled, reps, ConfidenceInterval(pooled - half, pooled + half)

    s1, s1_reps, s1_ci = estimate(n1_all[:d])
    st, st_reps, st_ci = estimate(nt_all[:d])

    def shaped(a: FloatArray, axis: int = 0) -> FloatArray:
        return _squeezed(a, one_d, axis)

    def shaped_ci(ci: ConfidenceInterval) -> ConfidenceInterval:
        return ConfidenceInterval(shaped(ci.low), shaped(ci.high))

    group_kwargs: dict[str, Any] = {}
    if group_index:
        g_rows = [group_block[label] - 2 for label in group_index]
        sg1, _, sg1_ci = estimate(n1_all[g_rows])
        sgt, _, sgt_ci = estimate(nt_all[g_rows])
        group_kwargs = {
            "group_names": tuple(group_index),
            "group_members": MappingProxyType(
                {label: tuple(names_[i] for i in members) for label, members in group_index.items()}
            ),
            "group_first_order": shaped(sg1),
            "group_total_order": shaped(sgt),
            "group_first_order_interval": shaped_ci(sg1_ci),
            "group_total_order_interval": shaped_ci(sgt_ci),
        }

    return SobolResult(
        first_order=shaped(s1),
        total_order=shaped(st),
        first_order_interval=shaped_ci(s1_ci),
        total_order_interval=shaped_ci(st_ci),
        first_order_replicates=shaped(s1_reps, axis=1),
        total_order_replicates=shaped(st_reps, axis=1),
        names=names_,
        output_names=out_names,
        n=n_,
        replicates=R,
        evaluations=n_rows,
        confidence=conf,
        mean=float(mu[0]) if one_d else _frozen(mu),
        variance=float(var[0]) if one_d else _frozen(var),
        **group_kwargs,
    )
