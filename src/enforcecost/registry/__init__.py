"""The registry: every figure the model uses, how it is uncertain, and how dollars convert.

Everything the model reads before it computes anything comes from here:

- :func:`registry` and :func:`parameters`: the cited parameter registry
  (``data/parameters.toml``), each entry a :class:`Parameter` with its unit,
  dollar year, bounds, default uncertainty, source kind and citation, checked
  against the schema beside it (``data/registry_schema.toml``);
- :class:`Distribution` and :func:`parse_distribution`: distribution
  specifications and their inverse CDFs;
- :func:`cpi_u`, :class:`PriceIndex`, :class:`Window` and
  :func:`discount_factors`: dollar years, the CPI-U price index, the
  fiscal-year window and discounting;
- :func:`nonmonetized`: the register of effects the model does not put a
  dollar figure on (``data/nonmonetized.toml``);
- :func:`series` and :func:`series_info`: historical series shipped as data
  (``data/series/``): inputs (judges, detention beds, officers, 287(g)
  agreements, border-origin inflows) and published actuals, which are
  comparison only and never feed the model.

Layout (private modules behind this facade):

- :mod:`._parameters`: :class:`Parameter`, loading and checking the registry,
  and the rules that read several keys;
- :mod:`._schema`: the registry's schema and the key-by-key checks;
- :mod:`._distributions`: :class:`Distribution` and checking specifications;
- :mod:`._frozen`: each kind as a frozen ``scipy.stats`` distribution;
- :mod:`._inverse`: inverse CDFs, with the deterministic set-up budget of the
  numerical inversion;
- :mod:`._money`: CPI-U, :class:`Window`, price index and discount factors;
- :mod:`._nonmonetized`: the non-monetized register;
- :mod:`._series`: the historical series and their checks.

Note that ``enforcecost.registry`` as an attribute of the top-level package is
the function :func:`registry`; import from this package with ``from
enforcecost.registry import ...``.
"""

from ._distributions import (
    DIST_KINDS,
    DistProblem,
    Distribution,
    check_distribution,
    parse_distribution,
)
from ._money import PriceIndex, Window, cpi_u, discount_factors
from ._nonmonetized import nonmonetized
from ._parameters import NOT_BY_YEAR, Parameter, check_value, load_registry, parameters, registry
from ._series import ROLES, SeriesError, load_series, series, series_info

__all__ = [
    "DIST_KINDS",
    "NOT_BY_YEAR",
    "ROLES",
    "DistProblem",
    "Distribution",
    "Parameter",
    "PriceIndex",
    "SeriesError",
    "Window",
    "check_distribution",
    "check_value",
    "cpi_u",
    "discount_factors",
    "load_registry",
    "load_series",
    "nonmonetized",
    "parameters",
    "parse_distribution",
    "registry",
    "series",
    "series_info",
]
