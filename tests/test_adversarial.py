"""The output directory under attack: the command run in subprocesses, as a user would.

Files appearing mid-run, concurrent runs, signals, a mount point, hostile scenario
names, unusable ``--out`` paths and inputs hidden in an earlier output. A run is
held just before its swap by ``ENFORCECOST_TEST_SWAP_GATE`` (a directory: the
run creates ``ready`` there and waits for ``go``), so no test depends on timing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enforcecost.cli import MARKER, _atomic, main
from enforcecost.cli._atomic import LISTING, foreign_entries

SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)}
GATE = "ENFORCECOST_TEST_SWAP_GATE"
#: Central values, no report: the output, not the model, is under test.
FAST = ["--draws", "1", "--no-report", "--quiet"]


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "enforcecost", *args]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cmd(*args), env=ENV, capture_output=True, text=True, timeout=300,
                          cwd=cwd, check=False)


def _start(gate: Path, *args: str) -> subprocess.Popen[str]:
    gate.mkdir()
    return subprocess.Popen(_cmd(*args), env={**ENV, GATE: str(gate)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_ready(gate: Path, proc: subprocess.Popen[str]) -> None:
    """Wait until ``proc`` has built its output and waits before the swap."""
    deadline = time.monotonic() + 300  # generous: a hang guard on a loaded machine
    while not (gate / "ready").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"the run never reached the swap (rc {proc.returncode}): {err}")
        time.sleep(0.02)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:  # pragma: no cover - a hung run
        proc.kill()
        raise
    return proc.returncode, err


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _leftovers(root: Path) -> list[str]:
    """Work directories (ours, and the pre-1.x ``.NAME.tmp-*`` siblings) under root."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*")
                  if p.is_dir() and (".enforcecost-" in p.name or ".tmp-" in p.name
                                     or ".old-" in p.name))


def _is_complete(out: Path, scenario: str) -> bool:
    """``out`` holds exactly one whole output, of ``scenario`` (work directories aside)."""
    dirs = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name[0] != ".")
    return (foreign_entries(out) == [] and (out / LISTING).is_file()
            and (out / MARKER).is_file() and (out / "summary.csv").is_file()
            and dirs == [scenario] and (out / scenario / "ledger_nominal.csv").is_file())


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """An earlier output of the command (pre_eo_2016, central values)."""
    out = tmp_path / "results"
    assert main(["run", "pre_eo_2016", "--out", str(out), *FAST]) == 0
    return out


# -- files that are not the run's ----------------------------------------------------------
def test_file_created_mid_run_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "results"
    gate = tmp_path / "gate"
    proc = _start(gate, "run", "eo13768", "--out", str(out), *FAST)
    _wait_ready(gate, proc)
    (out / "notes.txt").write_text("notes")  # the reviewer's repro, made deterministic
    (gate / "go").touch()
    rc, err = _finish(proc)
    assert rc == 1
    assert (out / "notes.txt").read_text() == "notes"
    [kept] = out.glob("enforcecost-new-*")
    assert (f"--out {out}: not replaced: it holds files that no earlier enforcecost output "
            f"wrote, or that changed since (notes.txt); they were left as they were; the new "
            f"output is in {kept}") in err
    assert (kept / "eo13768" / "ledger_nominal.csv").is_file()
    assert sorted(p.name for p in out.iterdir()) == [kept.name, "notes.txt"]
    assert _leftovers(tmp_path) == []


def test_concurrent_runs_to_one_out(tmp_path: Path) -> None:
    out = tmp_path / "results"
    a = _start(tmp_path / "gate_a", "run", "eo13768", "--out", str(out), *FAST)
    _wait_ready(tmp_path / "gate_a", a)
    # b starts while a's work directory is in out: it must neither clean nor mind it
    b = _start(tmp_path / "gate_b", "run", "pre_eo_2016", "--out", str(out), *FAST)
    _wait_ready(tmp_path / "gate_b", b)
    (tmp_path / "gate_a" / "go").touch()
    (tmp_path / "gate_b" / "go").touch()
    assert _finish(a) == (0, "")
    assert _finish(b) == (0, "")
    assert _is_complete(out, "eo13768") or _is_complete(out, "pre_eo_2016")
    assert _leftovers(tmp_path) == []


# -- signals --------------------------------------------------------------------------------
@pytest.mark.parametrize(("sig", "said"), [
    (signal.SIGTERM, "enforcecost: terminated by SIGTERM"),
    (signal.SIGHUP, "enforcecost: terminated by SIGHUP"),
    (signal.SIGINT, "enforcecost: interrupted"),
])
def test_signal_before_the_swap_leaves_the_earlier_output(
    tmp_path: Path, earlier: Path, sig: signal.Signals, said: str
) -> None:
    before = _snapshot(earlier)
    gate = tmp_path / "gate"
    proc = _start(gate, "run", "eo13768", "--out", str(earlier), *FAST)
    _wait_ready(gate, proc)
    proc.send_signal(sig)
    rc, err = _finish(proc)
    assert rc == 128 + sig
    assert err.strip() == said
    assert _snapshot(earlier) == before
    assert _leftovers(tmp_path) == []


def test_sigterm_while_computing(tmp_path: Path, earlier: Path) -> None:
    """A signal at an arbitrary moment: the output is the earlier one, or the new one, whole."""
    before = _snapshot(earlier)
    proc = subprocess.Popen(
        _cmd("run", "eo13768", "--out", str(earlier), "--draws", "20000", "--no-report", "-q"),
        env=ENV, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(earlier.glob(".enforcecost-tmp-*")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    rc, err = _finish(proc)
    if rc == 0:  # it finished first
        assert _is_complete(earlier, "eo13768")
    else:
        assert (rc, err.strip()) == (128 + signal.SIGTERM, "enforcecost: terminated by SIGTERM")
        assert _snapshot(earlier) == before
    assert _leftovers(tmp_path) == []


def test_sigkill_leftovers_are_cleaned_by_the_next_run(tmp_path: Path, earlier: Path) -> None:
    gate = tmp_path / "gate"
    proc = _start(gate, "run", "eo13768", "--out", str(earlier), *FAST)
    _wait_ready(gate, proc)
    proc.kill()
    proc.communicate()
    [dead] = _leftovers(earlier)  # SIGKILL cannot be handled: its work directory stays
    assert dead.startswith(".enforcecost-tmp-")
    assert main(["run", "eo13768", "--out", str(earlier), *FAST]) == 0
    assert _is_complete(earlier, "eo13768")
    assert _leftovers(tmp_path) == []


# -- where the output goes ------------------------------------------------------------------
def _can_bind_mount() -> str | None:
    """Why a private bind mount cannot be made here, or None."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "needs root and unshare(1) for a private mount namespace"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind / /mnt"],
                           capture_output=True, text=True, check=False)
    return None if probe.returncode == 0 else f"bind mount refused: {probe.stderr.strip()}"


def test_out_at_a_mount_point(tmp_path: Path) -> None:
    why = _can_bind_mount()
    if why:
        pytest.skip(why)  # test_atomic.py's test_mount_point_is_never_renamed still runs
    out = tmp_path / "volume"
    out.mkdir()
    script = 'mount --bind "$1" "$1" && shift && exec "$@"'
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(out),
         *_cmd("run", "eo13768", "--out", str(out), *FAST)],
        env=ENV, capture_output=True, text=True, timeout=300, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert _is_complete(out, "eo13768")
    assert _leftovers(tmp_path) == []


def test_out_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    proc = _run("run", "eo13768", "--out", str(tmp_path / "afile" / "results"), *FAST)
    assert proc.returncode == 2
    assert f"--out {tmp_path}/afile/results: {tmp_path}/afile is a file, not a directory" \
        in proc.stderr
    assert "internal error" not in proc.stderr
    assert (tmp_path / "afile").read_text() == "x"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="as root, directory permissions do not stop reading")
def test_out_in_an_unreadable_directory(tmp_path: Path) -> None:  # pragma: no cover - root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        proc = _run("run", "eo13768", "--out", str(locked / "results"), *FAST)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 2
    assert f"--out {locked}/results: cannot be used: Permission denied" in proc.stderr
    assert "internal error" not in proc.stderr


# -- hostile names and hidden inputs -------------------------------------------------------
def test_scenario_names_that_are_output_names(tmp_path: Path) -> None:
    shipped = SRC / "enforcecost" / "data" / "scenarios" / "eo13768.toml"
    for name in ("comparison.toml", "..toml", ".enforcecost-files.json.toml"):
        shutil.copy(shipped, tmp_path / name)
    out = tmp_path / "results"
    proc = _run("run", *(str(tmp_path / n) for n in
                         ("comparison.toml", "..toml", ".enforcecost-files.json.toml")),
                "--out", str(out), *FAST)
    assert (proc.returncode, proc.stderr) == (0, "")
    # "comparison" is the comparison page's; "." and hidden names lose their dots
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "comparison_2", "enforcecost-files.json", "scenario"]
    assert foreign_entries(out) == []


@pytest.mark.slow
def test_scenario_named_comparison_with_reports(tmp_path: Path) -> None:
    shutil.copy(SRC / "enforcecost" / "data" / "scenarios" / "eo13768.toml",
                tmp_path / "comparison.toml")
    out = tmp_path / "results"
    proc = _run("run", "pre_eo_2016", str(tmp_path / "comparison.toml"), "--out", str(out),
                "--draws", "1", "--quiet")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (out / "comparison" / "comparison.md").is_file()
    assert (out / "comparison_2" / "report.md").is_file()


CHAINS = {
    # child.toml extends mid.toml, which extends a file in the earlier output
    "extends": ('extends = "mid.toml"', 'extends = "results/deep.toml"'),
    # child.toml's baseline has as baseline a file in the earlier output
    "baseline": ('baseline = "mid.toml"', 'baseline = "results/deep.toml"'),
}


@pytest.mark.parametrize("chain", sorted(CHAINS))
def test_input_read_through_a_chain_inside_the_earlier_output(
    tmp_path: Path, earlier: Path, chain: str
) -> None:
    child, mid = CHAINS[chain]
    (tmp_path / "child.toml").write_text(f'[scenario]\nname = "Child"\n{child}\n')
    (tmp_path / "mid.toml").write_text(f'[scenario]\nname = "Mid"\n{mid}\n')
    deep = earlier / "deep.toml"
    deep.write_text('[scenario]\nname = "Deep"\nextends = "pre_eo_2016"\n')
    before = _snapshot(earlier)
    proc = _run("run", str(tmp_path / "child.toml"), "--out", str(earlier), *FAST)
    assert proc.returncode == 2
    assert (f"enforcecost: --out {earlier}: contains the scenario file {deep} (read for "
            f"{tmp_path / 'child.toml'}); choose another") in proc.stderr
    assert _snapshot(earlier) == before


# -- after the new output is installed (in-process: the faults are injected) ---------------
def test_interrupt_while_deleting_the_earlier_output_says_the_output_is_new(
    earlier: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_release = _atomic._Work.release

    def release(self: _atomic._Work, delete: bool) -> None:
        if self.path.name.startswith(".enforcecost-old-"):  # Ctrl-C while deleting it
            signal.raise_signal(signal.SIGINT)
        real_release(self, delete)

    monkeypatch.setattr(_atomic._Work, "release", release)
    capsys.readouterr()
    assert main(["run", "eo13768", "--out", str(earlier), *FAST]) == 130
    assert capsys.readouterr().err == (
        f"enforcecost: interrupted (the new output had been installed in {earlier})\n")
    assert _is_complete(earlier, "eo13768")
    assert _leftovers(earlier) == []


def test_earlier_output_that_cannot_be_deleted_is_reported(
    earlier: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "summary.csv" and self.parent.name.startswith(".enforcecost-old-"):
            raise PermissionError(13, "Permission denied")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    capsys.readouterr()
    assert main(["run", "eo13768", "--out", str(earlier), *FAST]) == 0
    [old] = _leftovers(earlier)
    assert capsys.readouterr().err == (
        f"enforcecost: warning: could not delete the earlier output, moved to {earlier / old} "
        "([Errno 13] Permission denied); the next run into this directory deletes it, or "
        "remove it yourself\n")
    assert _is_complete(earlier, "eo13768")
    monkeypatch.undo()
    assert main(["run", "eo13768", "--out", str(earlier), *FAST]) == 0
    assert _leftovers(earlier) == []
