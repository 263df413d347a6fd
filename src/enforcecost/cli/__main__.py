"""``python -m enforcecost.cli``: the same as the ``enforcecost`` command."""

from __future__ import annotations

from ._main import main

__all__: list[str] = []

if __name__ == "__main__":
    raise SystemExit(main())
