"""What ties a provision into the model: one module plus data, checked together.

Every discovered provision must have registry entries, a label, its own hatch
(and colour pairing), and non-monetized effects or an explicit none. The recipe
test adds a dummy provision to a copy of the package, as docs/architecture.md
says, and costs it end to end in a fresh interpreter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import tomllib
from importlib import resources
from pathlib import Path

import pytest

import enforcecost as ec
from enforcecost import provisions
from enforcecost.plot import _style as st
from enforcecost.registry import registry
from enforcecost.vocab import MONEY_GROUP

SRC = Path(ec.__file__).resolve().parent


def _nonmonetized() -> dict[str, object]:
    text = resources.files("enforcecost").joinpath("data/nonmonetized.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_every_provision_declares_itself() -> None:
    assert provisions.PROVISIONS == ec.PROVISIONS
    assert len(provisions.PROVISIONS) == len(set(provisions.PROVISIONS)) >= 11
    orders = [m.ORDER for m in provisions.MODULES]
    assert orders == sorted(orders)
    for module in provisions.MODULES:
        assert module.PROVISION in module.__name__
        assert isinstance(module.LABEL, str)
        assert module.LABEL.strip()
        assert callable(module.book)
        assert st.provision_label(module.PROVISION) == module.LABEL


def test_every_provision_has_registry_entries_and_only_those() -> None:
    groups = {p.provision for p in registry().values()}
    assert groups == {*provisions.PROVISIONS, MONEY_GROUP}


def test_every_provision_has_nonmonetized_effects_or_an_explicit_none() -> None:
    data = _nonmonetized()
    none_for = set(data["none_for"])  # type: ignore[arg-type]
    with_effects = {e["provision"] for e in data["effect"]}  # type: ignore[attr-defined]
    assert none_for <= set(provisions.PROVISIONS), "none_for names unknown provisions"
    assert not none_for & with_effects, "a provision both has effects and is listed as none"
    assert with_effects <= {*provisions.PROVISIONS, "general"}
    assert set(provisions.PROVISIONS) == with_effects - {"general"} | none_for


def test_hatches_stay_distinct_for_many_provisions() -> None:
    hatches = [st.provision_hatch(i) for i in range(60)]
    assert len(set(hatches)) == len(hatches)
    styles = {(s["facecolor"], s["hatch"]) for s in map(st.provision_style, ec.PROVISIONS)}
    assert len(styles) == len(ec.PROVISIONS)


def test_discover_rejects_incomplete_and_duplicate_modules(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "extra_provisions"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text('PROVISION = "a"\nLABEL = "A"\nORDER = 2\ndef book(p, f):\n'
                              "    return []\n")
    (pkg / "b.py").write_text('PROVISION = "b"\nLABEL = "B"\nORDER = 1\ndef book(p, f):\n'
                              "    return []\n")
    (pkg / "helper.py").write_text("X = 1\n")  # no PROVISION: not a provision
    monkeypatch.syspath_prepend(str(tmp_path))
    found = provisions.discover("extra_provisions")
    assert [m.PROVISION for m in found] == ["b", "a"]

    (pkg / "c.py").write_text('PROVISION = "c"\nORDER = 3\n')
    with pytest.raises(TypeError, match=r"extra_provisions\.c must define LABEL, book"):
        provisions.discover("extra_provisions")
    (pkg / "c.py").unlink()
    (pkg / "d.py").write_text('PROVISION = "a"\nLABEL = "D"\nORDER = 3\ndef book(p, f):\n'
                              "    return []\n")
    with pytest.raises(TypeError, match="provision names must be unique"):
        provisions.discover("extra_provisions")


_DUMMY = '''
"""A dummy provision: a flat federal outlay (the recipe's example)."""

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "dummy"
LABEL = "Dummy office"
ORDER = 999


def book(p: Params, flows: Flows) -> list[Line]:
    return [Line(PROVISION, "dummy staff", "federal", "outlay", p["dummy_cost_per_year"])]
'''

_DUMMY_REGISTRY = '''

[dummy_cost_per_year]
provision = "dummy"
description = "A dummy provision's yearly cost (test of the recipe)."
unit = "USD/yr"
dollar_year = 2017
value = 1000000
bounds = [0, inf]
source_kind = "assumption"
citation = "none: a test fixture"
'''

_RUN = '''
import enforcecost as ec
sc = ec.Scenario(name="dummy only", provisions=["dummy"], start_year=2017, years=10,
                 dollar_year=2017)
res = ec.evaluate(sc)
print(ec.PROVISIONS[-1], res.total("federal", basis="real"))
'''


def test_recipe_add_a_provision_is_one_module_plus_data(tmp_path: Path) -> None:
    pkg = tmp_path / "enforcecost"
    shutil.copytree(SRC, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    (pkg / "provisions" / "dummy.py").write_text(textwrap.dedent(_DUMMY))
    with (pkg / "data" / "parameters.toml").open("a") as fh:
        fh.write(_DUMMY_REGISTRY)
    nm = pkg / "data" / "nonmonetized.toml"
    nm.write_text(nm.read_text().replace('none_for = ["', 'none_for = ["dummy", "', 1))
    done = subprocess.run([sys.executable, "-c", _RUN], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    name, total = done.stdout.split()
    assert name == "dummy"
    assert float(total) == pytest.approx(10 * 1_000_000)
