"""The example notebooks run top to bottom in a real Jupyter kernel, and are stored run.

Each notebook is executed with ``nbclient`` at test sizes (the notebooks read their
study sizes from ``ENFORCECOST_NB_*`` environment variables, which the kernel
inherits). The kernel is the ``python3`` kernel spec, pinned to this interpreter
through a private ``JUPYTER_PATH`` so a user-level ``python3`` spec pointing at
another Python cannot hijack the run, and the IPython profile and runtime
directories are private too (no user startup scripts, nothing written to $HOME):
the environment of ``notebooks/execute.py``, the script that makes the stored
notebooks, used here as it is there.

The notebooks are committed **with their outputs** (made by that script at its
``SIZES``), so the charts show when the repository is browsed: the stored files
must hold a top-to-bottom run with a chart in every cell that draws one, and
nothing that changes from one run to the next (two executions give the same file).
"""

from __future__ import annotations

import base64
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_quickstart", "02_uncertainty_and_sensitivity", "03_compare_scenarios", "04_hindcast",
         "05_revival_2025"]
SMALL = {
    "ENFORCECOST_NB_DRAWS": "512",
    "ENFORCECOST_NB_SOBOL_N": "256",  # 16 replicates x 16
    "ENFORCECOST_NB_TRAJECTORIES": "4",
}
#: Notebooks stored without outputs for a while (a code change in flight elsewhere):
#: their stored-output check is skipped. Empty: every notebook is stored executed.
PENDING: set[str] = set()
#: Charts (inline PNGs) a stored notebook holds.
CHARTS = {"01_quickstart": 0, "02_uncertainty_and_sensitivity": 7, "03_compare_scenarios": 5,
          "04_hindcast": 1, "05_revival_2025": 4}
MAX_BYTES = 1_000_000  # each stored notebook


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nb_execute", NOTEBOOKS / "execute.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _code_outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _has(outputs: list[nbformat.NotebookNode], mime: str, marker: str = "") -> bool:
    return any(
        o.output_type in ("display_data", "execute_result")
        and mime in o.data
        and marker in str(o.data[mime])
        for o in outputs
    )


def _draws(source: str) -> bool:
    """Whether a code cell draws a chart (an enforcecost chart or a pyplot figure)."""
    return any(key in source for key in ("plot.", ".plot(", "plt.subplots"))


@pytest.fixture(scope="module")
def kernel_env() -> Iterator[None]:
    """A ``python3`` kernel spec running this interpreter, private Jupyter dirs, test sizes."""
    with SCRIPT.jupyter_env(SMALL):
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert spec.argv[0] == sys.executable, spec.argv
        yield


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, kernel_env: None, tmp_path: Path) -> None:
    nb = _read(name)
    for cell in nb.cells:  # run from scratch, whatever is stored
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    kernels: list[Any] = []  # the kernel manager, seen while the kernel runs
    client.on_notebook_start = lambda **_: kernels.append(client.km)
    client.execute()  # raises CellExecutionError on the first failing cell

    # the kernel was shut down, not left behind
    assert len(kernels) == 1
    assert kernels[0] is not None
    assert client.km is None
    assert not kernels[0].has_kernel

    outputs = _code_outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{name} wrote to stderr (warnings?):\n" + "\n".join(stderr)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, cell.source
    text = "".join(o.text for o in outputs if o.output_type == "stream")
    if name == "01_quickstart":
        assert _has(outputs, "text/html", "<table")  # the CBO-style tables
        assert _has(outputs, "text/html", "2017-2026")  # with the window total
    else:
        assert _has(outputs, "image/png")
        assert _has(outputs, "text/html", "<table")
        assert "draws=512" in text  # the environment reached the kernel
    if name == "02_uncertainty_and_sensitivity":
        assert "rest on assumptions explain" in text
    if name == "04_hindcast":
        assert "Targets met:" in text
        assert "90% band of 512 draws (sobol, seed 2017)" in text  # h.to_text()
        assert _has(outputs, "text/html", "targets met")  # the Hindcast's own display
    if name == "05_revival_2025":
        assert "EraComparison(2017 order FY2017" in text
        assert "2025 revival FY2025" in text
        # the FY2025-FY2026 hindcast at the test's draws, on the scenario's seed
        assert "90% band of 512 draws (sobol, seed 2025)" in text
        assert _has(outputs, "text/html", "targets met")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_stored_with_outputs(name: str) -> None:
    """The stored notebook is a clean top-to-bottom run by the script, with its charts."""
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.kernelspec.name == "python3"
    if name in PENDING:
        pytest.skip(f"{name} is stored unexecuted until its code change lands (see PENDING)")
    assert path.stat().st_size < MAX_BYTES, f"{name}: {path.stat().st_size:,} bytes"
    # made by notebooks/execute.py: its sizes recorded, run-to-run metadata stripped
    assert nb.metadata.enforcecost.executed_with == SCRIPT.SIZES
    assert nb.metadata.language_info == {"name": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        f"{name}: not one top-to-bottom run"
    )
    charts = 0
    for cell in code:
        assert "execution" not in cell.metadata
        kinds = [o.output_type for o in cell.outputs]
        assert "error" not in kinds, f"{name}: stored with an error: {cell.source[:60]!r}"
        assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source[:60]
        pngs = [o.data["image/png"] for o in cell.outputs if "image/png" in o.get("data", {})]
        if _draws(cell.source):
            assert pngs, f"{name}: no chart stored for {cell.source[:60]!r}"
        for png in pngs:
            raw = base64.b64decode(png)
            assert raw[:8] == b"\x89PNG\r\n\x1a\n"
            charts += 1
        for o in cell.outputs:
            plain = str(o.get("data", {}).get("text/plain", ""))
            assert not SCRIPT.ADDRESS.fullmatch(plain), f"{name}: {plain}"
    assert charts == CHARTS[name]
    if name == "04_hindcast":
        outputs = _code_outputs(nb)
        assert _has(outputs, "text/html", "targets met")
        text = "".join(o.text for o in outputs if o.output_type == "stream")
        assert f"90% band of {int(SCRIPT.SIZES['ENFORCECOST_NB_DRAWS']):,} draws" in text
    if name == "05_revival_2025":
        # stored at the scenario's own draws and seed: the README's FY2025-FY2026 table
        text = "".join(o.text for o in _code_outputs(nb) if o.output_type == "stream")
        assert "90% band of 4,096 draws (sobol, seed 2025)" in text
        assert "FY2025-FY2026" in text


def test_script_is_deterministic(kernel_env: None) -> None:
    """Two executions by the script give the same file: PNGs, HTML tables and text.

    ``04_hindcast`` has all three kinds of output, and pandas Stylers (whose HTML ids
    and default repr change from run to run unless fixed and stripped).
    """
    stored = (NOTEBOOKS / "04_hindcast.ipynb").read_text(encoding="utf-8")
    runs = [
        SCRIPT.dumps(SCRIPT.execute(nbformat.reads(stored, as_version=4), SMALL))
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert "image/png" in runs[0]
    assert '"ENFORCECOST_NB_DRAWS": "512"' in runs[0]
