"""Shared test fixtures: kept small on purpose."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path | None:
    """The project's shared documents (DESIGN.md, PARAMETERS.md, seed/), if present.

    ``$ENFORCECOST_SHARED`` wins; else ``shared/`` in or beside the repository.
    Tests that need these files skip when there are none.
    """
    candidates = [REPO / "shared", REPO.parent / "shared"]
    if os.environ.get("ENFORCECOST_SHARED"):
        candidates.insert(0, Path(os.environ["ENFORCECOST_SHARED"]))
    return next((c for c in candidates if c.is_dir()), None)


@pytest.fixture
def write_toml(tmp_path: Path) -> Callable[..., Path]:
    """``write_toml(text, name="s.toml")`` writes a file under tmp_path and returns its path."""

    def write(text: str, name: str = "s.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
