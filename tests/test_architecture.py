"""The package's layering, as docs/architecture.md states it: data flows down only.

Every ``from .x import`` / ``from ..x import`` / ``import enforcecost.x`` in the
package is read (including imports inside functions) and checked against the
table of what each part may import.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import enforcecost as ec

SRC = Path(ec.__file__).resolve().parent

#: What each part may import (besides itself), as in docs/architecture.md.
ALLOWED: dict[str, set[str]] = {
    "vocab": set(),
    "errors": {"vocab"},
    "provisions": {"vocab"},
    "reduce": set(),
    "sampling": {"errors"},
    "backends": {"registry"},  # warm-up builds the registry's inverse CDFs in workers
    "registry": {"vocab", "errors", "provisions"},
    "scenario": {"registry", "errors", "vocab", "provisions"},
    "results": {"vocab", "provisions", "registry", "reduce", "scenario", "errors"},
    "model": {"vocab", "errors", "provisions", "registry", "scenario", "sampling", "reduce",
              "backends", "results"},
    "sensitivity": {"vocab", "errors", "provisions", "registry", "scenario", "sampling",
                    "backends", "model", "results"},
    "plot": {"vocab", "errors", "provisions", "registry", "scenario", "results", "sensitivity",
             "_version"},
    "hindcasting": {"vocab", "errors", "registry", "scenario", "sampling", "model", "results",
                    "plot"},
    "report": {"vocab", "errors", "provisions", "registry", "scenario", "results",
               "sensitivity", "plot", "model", "hindcasting", "_version"},
    "cli": {"vocab", "errors", "provisions", "registry", "scenario", "sampling", "backends",
            "model", "results", "sensitivity", "plot", "report", "hindcasting", "_version"},
}
#: The imports against the flow, and why. Loading a scenario file checks that its
#: values keep every ledger line finite and within the exact-sum range, which takes a
#: run of the model (a lazy import inside ``load_scenario``). ``Result.to_excel`` is a
#: thin method over the report's workbook writer (a lazy import inside the method):
#: the workbook is the report's, and a method on the result is where a user looks.
#: ``Result.headline`` and ``compare`` show the central-values estimate beside the
#: headline mean, one deterministic run of the same scenario (a lazy ``evaluate``).
#: ``EraComparison.plot`` is a thin method over ``plot.eras`` (a lazy import), as
#: ``Hindcast.plot`` is over ``plot.hindcast``: a method on the object is where a user looks.
EXCEPTIONS: dict[str, set[str]] = {"scenario/_files.py": {"model"},
                                   "results/_result.py": {"report"},
                                   "results/_headline.py": {"model"},
                                   "results/_eras.py": {"plot"}}
#: Modules outside the layers: the facade, entry points and the Dask/forkserver aliases.
OUTSIDE = {"__init__", "__main__", "_version", "parallel"}


def _part(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imported_parts(path: Path) -> set[str]:
    """Top-level parts of enforcecost that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(SRC).parts) - 1  # 0 for a top-level module
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module and node.module.split(".")[0] == "enforcecost":
                    names = node.module.split(".")[1:]
                    found.add(names[0] if names else "__init__")
                continue
            up = node.level - 1  # how many packages above this file's package
            if up > depth:
                continue
            if up == depth:  # relative to the top package
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            # up < depth: inside the same top-level part
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "enforcecost" and len(parts) > 1:
                    found.add(parts[1])
    return found


FILES = sorted(p for p in SRC.rglob("*.py") if _part(p) not in OUTSIDE)


def test_every_part_is_in_the_table() -> None:
    parts = {_part(p) for p in FILES}
    assert parts <= set(ALLOWED), f"parts missing from the table: {parts - set(ALLOWED)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_layers(path: Path) -> None:
    part = _part(path)
    allowed = ALLOWED[part] | EXCEPTIONS.get(str(path.relative_to(SRC)), set()) | {part}
    wrong = _imported_parts(path) - allowed
    assert not wrong, f"{part} may not import {sorted(wrong)}"


def test_the_scan_finds_relative_and_absolute_imports(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "enforcecost"
    (pkg / "plot").mkdir(parents=True)
    src = pkg / "plot" / "_x.py"
    src.write_text("from ..cli import main\nfrom ._style import s\nfrom .. import model\n"
                   "import enforcecost.report\nfrom enforcecost.results import Result\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", pkg)
    assert _imported_parts(src) == {"cli", "model", "report", "results"}
