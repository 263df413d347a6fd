"""One module per provision of EO 13768: pure, vectorized functions booking ledger lines.

Provisions are **discovered**: every module of this package that defines
``PROVISION`` is one. Each declares

* ``PROVISION``: its name (the ``provision`` of its registry entries and ledger lines),
* ``LABEL``: a reader's name for it (tables, charts, reports),
* ``ORDER``: its place in tables and charts (smaller first),
* ``book(params, flows) -> list[Line]``: its ledger lines, where ``params`` maps
  public parameter names to arrays broadcastable to ``(draws, years)`` in real
  dollars of the scenario's dollar year, and ``flows`` is the enforcement
  pipeline's output (:mod:`.pipeline`).

No I/O, no randomness, no figures: every number comes from the parameter
registry. Adding a provision is one module here plus its registry entries and
its non-monetized effects (or an explicit none); ``tests/test_wiring.py`` checks
that every discovered provision has all of them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType, ModuleType

from ._core import KINDS, PAYERS, Line, Params, capacity, schedule_values
from .pipeline import CAPACITIES, Flows, run_pipeline

__all__ = [
    "BOOKS",
    "CAPACITIES",
    "KINDS",
    "LABELS",
    "MODULES",
    "PAYERS",
    "PROVISIONS",
    "Flows",
    "Line",
    "Params",
    "capacity",
    "discover",
    "run_pipeline",
    "schedule_values",
]

Book = Callable[[Params, Flows], list[Line]]
_DECLARES = ("PROVISION", "LABEL", "ORDER", "book")


def discover(package: str = __name__, path: Iterable[str] | None = None) -> tuple[ModuleType, ...]:
    """The provision modules of a package, in their declared ``ORDER``.

    Parameters
    ----------
    package : str
        The package's import name.
    path : iterable of str, optional
        Its directories (default: the imported package's ``__path__``).

    Returns
    -------
    tuple of module
        Every module of the package that defines ``PROVISION``, sorted by ``ORDER``
        then name.

    Raises
    ------
    TypeError
        If a provision module lacks one of ``PROVISION``, ``LABEL``, ``ORDER``,
        ``book``, or two declare the same ``PROVISION``.
    """
    where = list(path) if path is not None else list(importlib.import_module(package).__path__)
    found: list[ModuleType] = []
    for info in pkgutil.iter_modules(where):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        if not hasattr(module, "PROVISION"):
            continue  # a shared module (the pipeline), not a provision
        missing = [name for name in _DECLARES if not hasattr(module, name)]
        if missing:
            raise TypeError(f"provision module {module.__name__} must define "
                            f"{', '.join(missing)}")
        found.append(module)
    names = [m.PROVISION for m in found]
    if len(set(names)) != len(names):
        raise TypeError(f"provision names must be unique: {sorted(names)}")
    return tuple(sorted(found, key=lambda m: (m.ORDER, m.PROVISION)))


MODULES: tuple[ModuleType, ...] = discover()
#: Provision names, in table order.
PROVISIONS: tuple[str, ...] = tuple(m.PROVISION for m in MODULES)
#: Provision name -> a reader's name for it.
LABELS: Mapping[str, str] = MappingProxyType({m.PROVISION: m.LABEL for m in MODULES})
#: Provision name -> ``book(params, flows) -> list[Line]``.
BOOKS: Mapping[str, Book] = MappingProxyType({m.PROVISION: m.book for m in MODULES})
