"""Test functions with known sensitivity indices, to check an estimator against.

Vectorized like the functions the estimators take (``(m, d)`` inputs, ``(m,)``
outputs), each with its analytic indices:

- :func:`ishigami`: three inputs, strongly non-linear and non-monotonic, an
  interaction between :math:`x_1` and :math:`x_3` and no first-order effect of
  :math:`x_3` (:func:`ishigami_indices`, :func:`ishigami_variance`);
- :func:`g_function`: Sobol' G-function, any number of inputs whose importance
  its coefficients ``a`` set (:func:`g_function_indices`, :func:`g_function_variance`);
- :func:`linear`: :math:`\\sum_i c_i x_i`, whose Sobol' indices and Morris
  measures are exact for any input laws (:func:`linear_indices`, :func:`linear_mu_star`).

Examples
--------
>>> import numpy as np
>>> from scipy import stats
>>> from enforcecost.sensitivity import sobol_indices, test_functions as tf
>>> dists = [stats.uniform(-np.pi, 2 * np.pi)] * 3
>>> res = sobol_indices(tf.ishigami, dists, 2**12, seed=0)
>>> s1, st = tf.ishigami_indices()
>>> bool(np.all(np.abs(res.total_order - st) < 0.02))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._common import FloatArray, SupportsPPF

__all__ = [
    "Indices",
    "g_function",
    "g_function_indices",
    "g_function_variance",
    "ishigami",
    "ishigami_indices",
    "ishigami_variance",
    "linear",
    "linear_indices",
    "linear_mu_star",
]


class Indices(NamedTuple):
    """Analytic first-order and total Sobol' indices, one per input."""

    first_order: FloatArray
    total_order: FloatArray


def _rows(x: npt.ArrayLike, d: int) -> FloatArray:
    """``x`` as an ``(m, d)`` float array (one row per point)."""
    out = np.asarray(x, dtype=np.float64)
    if out.ndim != 2 or out.shape[1] != d:
        raise ValueError(f"'x' must be an (m, {d}) array, one row per point: shape {out.shape}")
    return out


def _vector(values: npt.ArrayLike, name: str) -> FloatArray:
    """``values`` as a non-empty 1-D array of finite floats."""
    out = np.asarray(values, dtype=np.float64)
    if out.ndim != 1 or out.size == 0 or not np.all(np.isfinite(out)):
        raise ValueError(f"'{name}' must be a non-empty 1-D array of finite numbers: {values!r}")
    return out


# -- Ishigami ------------------------------------------------------------------------------
def ishigami(x: npt.ArrayLike, *, a: float = 7.0, b: float = 0.1) -> FloatArray:
    r"""The Ishigami function of three inputs, each uniform on :math:`[-\pi, \pi]`.

    .. math::

        f(x) = \sin x_1 + a \sin^2 x_2 + b\, x_3^4 \sin x_1

    Parameters
    ----------
    x : array_like, shape (m, 3)
        One point per row.
    a, b : float
        The coefficients; 7 and 0.1 are the usual values.

    Returns
    -------
    ndarray, shape (m,)

    References
    ----------
    .. [1] Ishigami, T. and Homma, T. (1990). An importance quantification
       technique in uncertainty analysis for computer models. *Proceedings of
       the First International Symposium on Uncertainty Modeling and
       Analysis*, 398-403. doi:10.1109/ISUMA.1990.151285
    """
    x = _rows(x, 3)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def _ishigami_parts(a: float, b: float) -> tuple[float, float, float]:
    """The variance's parts: :math:`V_1`, :math:`V_2` and :math:`V_{13}`."""
    pi = np.pi
    return 0.5 * (1 + b * pi**4 / 5) ** 2, a**2 / 8, b**2 * pi**8 * (1 / 18 - 1 / 50)


def ishigami_variance(*, a: float = 7.0, b: float = 0.1) -> float:
    r"""Variance of :func:`ishigami`: :math:`a^2/8 + b\pi^4/5 + b^2\pi^8/18 + 1/2`.

    Its mean is :math:`a/2`.
    """
    return float(sum(_ishigami_parts(a, b)))


def ishigami_indices(*, a: float = 7.0, b: float = 0.1) -> Indices:
    r"""Analytic Sobol' indices of :func:`ishigami`.

    The variance splits into :math:`V_1 = \frac12 (1 + b\pi^4/5)^2`,
    :math:`V_2 = a^2/8` and the interaction
    :math:`V_{13} = b^2\pi^8 (1/18 - 1/50)`; there is no other term, so
    :math:`S_1 + S_2 + S_{T3} = 1` (:math:`S_3 = 0`, :math:`S_{T3} = S_{13}`).

    Returns
    -------
    Indices
        ``(0.3139, 0.4424, 0)`` and ``(0.5576, 0.4424, 0.2437)`` for the usual
        ``a = 7``, ``b = 0.1``.

    References
    ----------
    .. [1] Ishigami, T. and Homma, T. (1990), see :func:`ishigami`.
    .. [2] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and
       Tarantola, S. (2010). Variance based sensitivity analysis of model
       output. Design and estimator for the total sensitivity index. *Computer
       Physics Communications* 181(2), 259-270. doi:10.1016/j.cpc.2009.09.018

    Examples
    --------
    >>> from enforcecost.sensitivity.test_functions import ishigami_indices
    >>> [v.round(4).tolist() for v in ishigami_indices()]
    [[0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]]
    """
    v1, v2, v13 = _ishigami_parts(a, b)
    v = v1 + v2 + v13
    return Indices(np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v)


# -- Sobol' G-function ---------------------------------------------------------------------
def g_function(x: npt.ArrayLike, *, a: npt.ArrayLike) -> FloatArray:
    r"""Sobol' G-function of ``d`` inputs, each uniform on :math:`[0, 1]`.

    .. math::

        f(x) = \prod_{i=1}^d \frac{|4 x_i - 2| + a_i}{1 + a_i}

    Each factor has mean 1; the smaller :math:`a_i`, the more input :math:`i`
    matters (:math:`a_i = 0`: very important, :math:`a_i = 99`: nearly inert).

    Parameters
    ----------
    x : array_like, shape (m, d)
        One point per row.
    a : array_like, shape (d,)
        The coefficients, each >= 0 (e.g. ``[0, 1, 4.5, 9, 99, 99, 99, 99]``).

    Returns
    -------
    ndarray, shape (m,)

    References
    ----------
    .. [1] Sobol', I. M. (1998). On quasi-Monte Carlo integrations.
       *Mathematics and Computers in Simulation* 47(2-5), 103-112.
       doi:10.1016/S0378-4754(98)00096-2
    .. [2] Saltelli, A. (2002). Making best use of model evaluations to compute
       sensitivity indices. *Computer Physics Communications* 145(2), 280-297.
       doi:10.1016/S0010-4655(02)00280-1
    """
    coef = _g_coefficients(a)
    x = _rows(x, len(coef))
    out: FloatArray = np.prod((np.abs(4 * x - 2) + coef) / (1 + coef), axis=1)
    return out


def _g_coefficients(a: npt.ArrayLike) -> FloatArray:
    coef = _vector(a, "a")
    if np.any(coef < 0):
        raise ValueError(f"'a' must hold numbers >= 0: {coef.tolist()!r}")
    return coef


def g_function_variance(a: npt.ArrayLike) -> float:
    r"""Variance of :func:`g_function`: :math:`\prod_i (1 + V_i) - 1`,
    :math:`V_i = 1 / (3 (1 + a_i)^2)`. Its mean is 1."""
    vi = 1 / (3 * (1 + _g_coefficients(a)) ** 2)
    return float(np.prod(1 + vi) - 1)


def g_function_indices(a: npt.ArrayLike) -> Indices:
    r"""Analytic Sobol' indices of :func:`g_function` with coefficients ``a``.

    With :math:`V_i = 1 / (3 (1 + a_i)^2)` (the variance of factor :math:`i`)
    and :math:`V = \prod_i (1 + V_i) - 1`,

    .. math::

        S_i = \frac{V_i}{V}, \qquad
        S_{Ti} = \frac{V_i \prod_{j \ne i} (1 + V_j)}{V}.

    References
    ----------
    .. [1] Sobol', I. M. (1998) and Saltelli, A. (2002), see :func:`g_function`.
    .. [2] Saltelli, A. et al. (2010), see :func:`ishigami_indices`.

    Examples
    --------
    >>> from enforcecost.sensitivity.test_functions import g_function_indices
    >>> g_function_indices([0, 99]).first_order.round(5).tolist()
    [0.99987, 0.0001]
    """
    vi = 1 / (3 * (1 + _g_coefficients(a)) ** 2)
    v = np.prod(1 + vi) - 1
    st = np.array([vi[i] * np.prod(np.delete(1 + vi, i)) for i in range(len(vi))]) / v
    return Indices(vi / v, st)


# -- linear --------------------------------------------------------------------------------
def linear(x: npt.ArrayLike, *, coef: npt.ArrayLike) -> FloatArray:
    r"""The linear function :math:`f(x) = \sum_i c_i x_i`, inputs of any laws.

    Parameters
    ----------
    x : array_like, shape (m, d)
    coef : array_like, shape (d,)
        The coefficients :math:`c_i`.

    Returns
    -------
    ndarray, shape (m,)
    """
    c = _vector(coef, "coef")
    return _rows(x, len(c)) @ c


def _coef_and_dists(coef: npt.ArrayLike, dists: Sequence[Any]) -> FloatArray:
    c = _vector(coef, "coef")
    if len(dists) != len(c):
        raise ValueError(
            f"'dists' must have {len(c)} distributions, one per coefficient: {len(dists)}"
        )
    return c


def linear_indices(coef: npt.ArrayLike, dists: Sequence[Any]) -> Indices:
    r"""Sobol' indices of :func:`linear` with independent inputs of laws ``dists``.

    An additive function has no interactions: :math:`S_i = S_{Ti} =
    c_i^2 \operatorname{Var} x_i / \sum_j c_j^2 \operatorname{Var} x_j`.

    Parameters
    ----------
    coef : array_like, shape (d,)
    dists : sequence of distributions, length d
        Anything with a ``var()`` method (frozen ``scipy.stats`` laws).
    """
    c = _coef_and_dists(coef, dists)
    var = np.array([dist.var() for dist in dists], dtype=np.float64) * c**2
    return Indices(var / var.sum(), var / var.sum())


def linear_mu_star(coef: npt.ArrayLike, dists: Sequence[SupportsPPF]) -> FloatArray:
    r"""Morris :math:`\mu^*` of :func:`linear` with independent inputs of laws ``dists``.

    In the units of :func:`~enforcecost.sensitivity.morris_indices`, whose
    elementary effects are per 5%-95% range of each input, every effect of
    input :math:`i` is :math:`c_i (q_{0.95,i} - q_{0.05,i})` whatever the
    trajectory: :math:`\mu_i` is that, :math:`\mu^*_i` its absolute value
    and :math:`\sigma_i = 0`.

    Parameters
    ----------
    coef : array_like, shape (d,)
    dists : sequence of distributions, length d
        Anything with a vectorized ``ppf``.

    References
    ----------
    .. [1] Morris, M. D. (1991). Factorial sampling plans for preliminary
       computational experiments. *Technometrics* 33(2), 161-174.
       doi:10.1080/00401706.1991.10484804
    """
    c = _coef_and_dists(coef, dists)
    scale = np.array([float(dist.ppf(0.95)) - float(dist.ppf(0.05)) for dist in dists])
    out: FloatArray = np.abs(c * scale)
    return out
