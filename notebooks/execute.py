"""Execute the example notebooks and store them with their outputs.

Run from the repository root (or anywhere: paths are relative to this file)::

    python notebooks/execute.py                 # every notebook in NOTEBOOKS
    python notebooks/execute.py 04_hindcast     # some of them (names or paths)
    python notebooks/execute.py --check         # exit 1 if a stored notebook differs
                                                # from a fresh execution (writes nothing)

The notebooks are committed with their outputs, so the charts and tables show when
the repository is browsed. This script is the one way they are made, so that they
are reproducible:

- the kernel is the ``python3`` kernel spec pinned to this interpreter, with
  private Jupyter and IPython directories (no user kernel spec, startup script or
  profile takes part, and nothing is written to $HOME), as ``tests/test_notebooks.py``
  runs them;
- the study sizes are the ``ENFORCECOST_NB_*`` values of :data:`SIZES` (recorded
  in each notebook's metadata), with the notebooks' own fixed seeds, so the same
  model gives the same numbers;
- inline charts are PNG at :data:`DPI` dots per inch;
- what changes between two runs of the same model is stripped: execution
  timestamps, the kernel's ``language_info`` (its Python version), and the
  plain-text form of an output that is an object's default repr with its memory
  address (where the output has a rich form, e.g. a pandas ``Styler``'s HTML; give
  such a Styler a fixed ``set_uuid``, as its HTML ids are random otherwise). The
  PNGs carry no timestamp (matplotlib writes only its ``Software`` line).

Run twice, it leaves ``git status`` clean unless the model (or the notebook) changed;
``tests/test_notebooks.py`` checks that two executions give the same file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
NOTEBOOKS = [
    "01_quickstart",
    "02_uncertainty_and_sensitivity",
    "03_compare_scenarios",
    "04_hindcast",
    "05_revival_2025",
]
#: The study sizes the stored outputs are made with (each notebook reads these).
SIZES: dict[str, str] = {
    "ENFORCECOST_NB_DRAWS": "4096",  # Monte Carlo and hindcast draws
    "ENFORCECOST_NB_SOBOL_N": "4096",  # Sobol' n: 16 replicates x 256
    "ENFORCECOST_NB_TRAJECTORIES": "20",  # Morris trajectories
}
#: Resolution of the inline PNG charts, dots per inch (light enough to commit).
DPI = 80
#: A default object repr, ``<pandas.io.formats.style.Styler at 0x7f...>``.
ADDRESS = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>")
#: Seconds a cell may run.
TIMEOUT = 1200


@contextmanager
def jupyter_env(sizes: Mapping[str, str]) -> Iterator[None]:
    """A private ``python3`` kernel spec for this interpreter, private dirs, and the sizes.

    Sets the environment of this process (the kernel inherits it) for the duration
    of the block, and restores it after.
    """
    from ipykernel.kernelspec import install as install_kernelspec
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory(prefix="enforcecost-nb-") as tmp:
        root = Path(tmp)
        install_kernelspec(kernel_name="python3", prefix=str(root / "prefix"))
        ipython = root / "ipython"
        profile = ipython / "profile_default"
        profile.mkdir(parents=True)
        (profile / "ipython_kernel_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            "c.InlineBackend.figure_formats = {'png'}\n"
            f"c.InlineBackend.print_figure_kwargs = {{'bbox_inches': 'tight', 'dpi': {DPI}}}\n"
        )
        env = {
            "JUPYTER_PATH": str(root / "prefix" / "share" / "jupyter"),
            "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
            "JUPYTER_CONFIG_DIR": str(root / "config"),
            "JUPYTER_DATA_DIR": str(root / "data"),
            "IPYTHONDIR": str(ipython),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYTHONHASHSEED": "0",
            **sizes,
        }
        if SRC.is_dir():  # the kernel imports this checkout's enforcecost, not another
            path = os.environ.get("PYTHONPATH")
            env["PYTHONPATH"] = os.pathsep.join([str(SRC), *([path] if path else [])])
        saved = {k: os.environ.get(k) for k in [*env, "MPLBACKEND"]}
        os.environ.update(env)
        os.environ.pop("MPLBACKEND", None)  # the kernel picks the inline backend
        try:
            spec = KernelSpecManager().get_kernel_spec("python3")
            if spec.argv[0] != sys.executable:
                raise RuntimeError(f"the python3 kernel is not this interpreter: {spec.argv}")
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def execute(nb: nbformat.NotebookNode, sizes: Mapping[str, str]) -> nbformat.NotebookNode:
    """Execute ``nb`` in place (inside :func:`jupyter_env`) and return it normalized.

    The working directory of the kernel is this directory (``notebooks/``).
    """
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(HERE)}},
    )
    client.execute()
    return normalize(nb, sizes)


def normalize(nb: nbformat.NotebookNode, sizes: Mapping[str, str]) -> nbformat.NotebookNode:
    """Strip what changes between runs of the same model; record the sizes."""
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata.pop("widgets", None)
    nb.metadata["enforcecost"] = {"executed_with": dict(sorted(sizes.items()))}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.outputs:
                out.get("metadata", {}).pop("execution", None)
                data = out.get("data", {})
                # an object's default repr holds its memory address (a pandas Styler's):
                # dropped where a rich form (HTML) shows the output
                if len(data) > 1 and ADDRESS.fullmatch(str(data.get("text/plain", ""))):
                    del data["text/plain"]
    return nb


def dumps(nb: nbformat.NotebookNode) -> str:
    """The notebook as stored: nbformat's JSON with a final newline."""
    text = str(nbformat.writes(nb))  # type: ignore[no-untyped-call]
    return text if text.endswith("\n") else text + "\n"


def path_of(name: str) -> Path:
    """A notebook's path from its name (``04_hindcast``) or a path."""
    p = Path(name)
    if p.suffix == ".ipynb":
        return p.resolve()
    return HERE / f"{name}.ipynb"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="names or paths (default: all)")
    parser.add_argument(
        "--check", action="store_true", help="compare with the stored files; write nothing"
    )
    args = parser.parse_args(argv)
    paths = [path_of(n) for n in (args.notebooks or NOTEBOOKS)]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error("no such notebook: " + ", ".join(missing))
    stale = []
    with jupyter_env(SIZES):
        for path in paths:
            stored = path.read_text(encoding="utf-8")
            nb = execute(nbformat.reads(stored, as_version=4), SIZES)  # type: ignore[no-untyped-call]
            nbformat.validate(nb)
            fresh = dumps(nb)
            same = fresh == stored
            if args.check:
                print(f"{path.name}: {'up to date' if same else 'DIFFERS'}")
                stale += [] if same else [path.name]
            else:
                path.write_text(fresh, encoding="utf-8")
                size = len(fresh.encode()) / 1024
                print(f"{path.name}: {'unchanged' if same else 'written'} ({size:,.0f} KiB)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
