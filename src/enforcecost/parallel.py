"""Where blocks of draws run: the public names of :mod:`enforcecost.backends`.

This module is kept for two reasons:

* it is the documented import path of the backends (``from
  enforcecost.parallel import get_backend``): it holds every public name of
  :mod:`enforcecost.backends`, the same objects, documented there;
* it is the **Dask preload module**: ``dask worker ADDRESS --preload
  enforcecost.parallel`` makes Dask call :func:`dask_setup` here in each
  worker process, which applies :func:`tune_malloc` and :func:`warm_caches`.
  The ``LocalCluster`` a study starts preloads it too.

Examples
--------
>>> from enforcecost.parallel import get_backend
>>> with get_backend() as backend:   # in-process
...     list(backend.map_blocks(abs, [-1, 2, -3]))
[1, 2, 3]
"""

from __future__ import annotations

from . import backends as _backends
from .backends import *  # noqa: F403 - re-exported: the names of backends.__all__

__all__ = list(_backends.__all__)
