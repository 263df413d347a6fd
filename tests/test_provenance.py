"""Provenance: a scenario changed in code no longer claims to be the file it was read from.

:attr:`Scenario.modified` lists what changed since the file was read and
:attr:`Scenario.provenance` says it in words; chart footnotes, run manifests and
reports all read them.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import enforcecost as ec
from enforcecost import plot
from enforcecost.report import render_result, run_manifest, scenario_record, summary_frame
from enforcecost.report._content import report_content
from enforcecost.report._labels import scenario_files
from enforcecost.report._markdown import report_markdown


@pytest.fixture(scope="module")
def sc() -> ec.Scenario:
    return ec.load_scenario("eo13768")


@pytest.fixture(scope="module")
def half(sc: ec.Scenario) -> ec.Scenario:
    return sc.replace(parameters={"ero_officers_added": 5000}, name="Half officers")


def test_a_scenario_as_read_is_its_file(sc: ec.Scenario) -> None:
    assert sc.modified == ()
    assert sc.provenance == "eo13768.toml"
    assert sc.baseline is not None
    assert sc.baseline.provenance == "pre_eo_2016.toml"


def test_a_changed_parameter_is_named(sc: ec.Scenario, half: ec.Scenario) -> None:
    assert half.modified == ("ero_officers_added",)
    assert half.provenance == "eo13768.toml, modified in code: ero_officers_added"
    # the path stays: it is where the scenario started
    assert half.path == sc.path


def test_fields_then_parameters_in_registry_order(sc: ec.Scenario) -> None:
    changed = sc.replace(years=5, parameters={"bed_day_cost": 150,
                                              "ero_officers_added": 4000})
    assert changed.modified == ("years", "ero_officers_added", "bed_day_cost")


def test_every_way_of_changing_it_in_code_is_seen(sc: ec.Scenario) -> None:
    # dataclasses.replace and a Scenario built from another's fields carry the record
    assert dataclasses.replace(sc, years=6).modified == ("years",)
    fields = {f.name: getattr(sc, f.name) for f in dataclasses.fields(sc)}
    assert ec.Scenario(**{**fields, "discount_rate": 0.07}).modified == ("discount_rate",)
    # a Scenario built from another's values without its file is simply code
    built = ec.Scenario(name="copy", parameters=dict(sc.parameters), baseline=sc.baseline)
    assert built.path is None
    assert built.provenance == "defined in code"
    # fixing the distributions changes every uncertain input
    fixed = sc.fixed()
    assert set(sc.uncertain()) <= set(fixed.modified)
    assert fixed.provenance.startswith("eo13768.toml, modified in code: ")
    assert fixed.provenance.endswith(f" and {len(fixed.modified) - 4} more")


def test_labels_and_values_equal_to_the_files_are_no_change(sc: ec.Scenario) -> None:
    assert sc.replace(name="Renamed", description="words").modified == ()
    same = sc.parameters.get("ero_officers_added")
    value = ec.registry()["ero_officers_added"].value if same is None else same.value
    assert sc.replace(parameters={"ero_officers_added": value}).modified == ()
    # changed and changed back
    back = sc.replace(years=5).replace(years=sc.years)
    assert back.modified == ()


def test_baseline_changes(sc: ec.Scenario) -> None:
    assert sc.replace(baseline=None).modified == ("baseline",)
    assert sc.baseline is not None
    other = sc.baseline.replace(parameters={"bed_day_cost": 150})
    moved = sc.replace(baseline=other)
    assert moved.modified == ("baseline",)
    assert moved.baseline is not None
    assert moved.baseline.provenance == "pre_eo_2016.toml, modified in code: bed_day_cost"
    # restricting the baseline to the policy's provisions is a rule, not a change of it
    fewer = sc.replace(provisions=("hiring", "removals"))
    assert fewer.modified == ("provisions",)
    assert fewer.baseline is not None
    assert fewer.baseline.modified == ()


def test_the_record_survives_pickling(half: ec.Scenario) -> None:
    again = pickle.loads(pickle.dumps(half))
    assert again.provenance == half.provenance
    assert again == half


def test_the_record_is_not_part_of_equality_or_repr(sc: ec.Scenario) -> None:
    assert sc.replace(name=sc.name) == sc
    assert "_origin" not in repr(sc)


def test_chart_footnotes_say_modified_in_code(sc: ec.Scenario, half: ec.Scenario) -> None:
    ax = plot.stacked(ec.evaluate(half))
    fig = ax.get_figure(root=True)
    assert fig is not None
    text = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    assert ("scenario eo13768.toml, modified in code: ero_officers_added; "
            "baseline pre_eo_2016.toml") in text
    plt.close(fig)
    assert "scenario eo13768.toml vs. baseline pre_eo_2016.toml" in plot.source_note(
        ec.evaluate(sc))


def test_manifests_record_the_changes(half: ec.Scenario) -> None:
    res = ec.evaluate(half)
    record = scenario_record(res, "half")
    assert record.modified_in_code == ("ero_officers_added",)
    man = run_manifest([record], command="test")
    data = json.loads(man.to_json())
    assert data["scenario"]["modified_in_code"] == ["ero_officers_added"]
    assert data["scenario"]["baseline_modified_in_code"] == []
    assert data["scenario"]["path"].endswith("eo13768.toml")
    line = man.to_text().splitlines()[4]
    assert line.endswith("eo13768.toml, modified in code: ero_officers_added (Half officers)")
    code = scenario_record(ec.evaluate(ec.Scenario(name="c", provisions=("hiring",))), "c")
    assert run_manifest([code]).to_text().splitlines()[4] == "  c: <code> (c)"


def test_reports_say_it(half: ec.Scenario, tmp_path: Path) -> None:
    res = ec.evaluate(half)
    assert scenario_files(res) == ("Scenario file: eo13768.toml, modified in code: "
                                   "ero_officers_added; baseline: pre_eo_2016.toml")
    assert half.baseline is not None
    assert render_result(res).splitlines()[1] == (
        f"Scenario file: {half.path}, modified in code: ero_officers_added; "
        f"baseline: {half.baseline.path}")
    md = report_markdown(report_content(res, drivers=False))
    assert "Scenario file: eo13768.toml, modified in code: ero_officers_added" in md
    frame = summary_frame([("half", res)])
    assert frame["file"].str.endswith("eo13768.toml, modified in code: ero_officers_added").all()
