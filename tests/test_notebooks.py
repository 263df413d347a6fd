"""The example notebooks run top to bottom in a real Jupyter kernel, and are stored clean.

Each notebook is executed with ``nbclient`` at test sizes (the notebooks read their
study sizes from ``ENFORCECOST_NB_*`` environment variables, which the kernel
inherits). The kernel is the ``python3`` kernel spec, pinned to this interpreter
through a private ``JUPYTER_PATH`` so a user-level ``python3`` spec pointing at
another Python cannot hijack the run, and the IPython profile and runtime
directories are private too (no user startup scripts, nothing written to $HOME).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from ipykernel.kernelspec import install as install_kernelspec
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_quickstart", "02_uncertainty_and_sensitivity", "03_compare_scenarios"]
SMALL = {
    "ENFORCECOST_NB_DRAWS": "512",
    "ENFORCECOST_NB_SOBOL_N": "256",  # 16 replicates x 16
    "ENFORCECOST_NB_TRAJECTORIES": "4",
}


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


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A ``python3`` kernel spec running this interpreter, and private Jupyter dirs."""
    root = tmp_path_factory.mktemp("jupyter")
    install_kernelspec(kernel_name="python3", prefix=str(root / "prefix"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(root / "prefix" / "share" / "jupyter"))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(root / "runtime"))
        mp.setenv("IPYTHONDIR", str(root / "ipython"))
        mp.setenv("JUPYTER_PLATFORM_DIRS", "1")
        mp.delenv("MPLBACKEND", raising=False)  # the kernel picks the inline backend
        for key, value in SMALL.items():
            mp.setenv(key, value)
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert spec.argv[0] == sys.executable, spec.argv
        yield


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, kernel_env: None, tmp_path: Path) -> None:
    nb = _read(name)
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
    if name == "01_quickstart":
        assert _has(outputs, "text/html", "<table")  # the CBO-style tables
        assert _has(outputs, "text/html", "2017-2026")  # with the window total
    else:
        assert _has(outputs, "image/png")
        assert _has(outputs, "text/html", "<table")
    if name == "02_uncertainty_and_sensitivity":
        text = "".join(o.text for o in outputs if o.output_type == "stream")
        assert "draws=512" in text  # the environment reached the kernel
        assert "rest on assumptions explain" in text


@pytest.mark.parametrize("name", NAMES)
def test_notebook_stored_clean(name: str) -> None:
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: stored with outputs: {cell.source[:60]!r}"
            assert cell.execution_count is None, f"{name}: execution count stored"
            assert "execution" not in cell.metadata
