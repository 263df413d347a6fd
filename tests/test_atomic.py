"""atomic_directory / atomic_write_text: all of the output, or none of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from enforcecost import _atomic
from enforcecost._atomic import atomic_directory, atomic_write_text


def _listing(root: Path) -> dict[str, str]:
    """Every file under root (relative path -> text), hidden ones included."""
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _write_then_fail(out: Path, exc: BaseException) -> None:
    """Start writing an output directory, then fail part way."""
    with atomic_directory(out) as tmp:
        (tmp / "half.csv").write_text("half")
        raise exc


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "old.csv").write_text("old")
    (out / "sub" / "keep.csv").write_text("old sub")
    return out


def test_success_creates_directory_from_temp_sibling(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "out"
    with atomic_directory(out) as tmp:
        assert tmp.parent == out.parent  # same filesystem: the final step is a rename
        assert tmp != out
        assert not out.exists()  # nothing visible while writing
        (tmp / "a.csv").write_text("a")
    assert _listing(out) == {"a.csv": "a"}
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # no temp left


def test_crash_mid_write_leaves_no_directory_and_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="crash"):
        _write_then_fail(out, RuntimeError("crash"))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_interrupt_mid_write_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        _write_then_fail(out, KeyboardInterrupt())
    assert list(tmp_path.iterdir()) == []


def test_existing_directory_untouched_on_failure(tmp_path: Path, existing: Path) -> None:
    before = _listing(existing)
    with pytest.raises(ValueError, match="boom"):
        _write_then_fail(existing, ValueError("boom"))
    assert _listing(existing) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_existing_directory_replaced_on_success(tmp_path: Path, existing: Path) -> None:
    with atomic_directory(existing) as tmp:
        (tmp / "new.csv").write_text("new")
        assert _listing(existing)["old.csv"] == "old"  # still the old one meanwhile
    assert _listing(existing) == {"new.csv": "new"}  # replaced whole: stale files gone
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_failed_final_rename_restores_old_directory(
    tmp_path: Path, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rename = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target) == existing and ".tmp-" in self.name:
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    before = _listing(existing)
    with pytest.raises(OSError, match="No space"), atomic_directory(existing) as tmp:
        (tmp / "new.csv").write_text("new")
    assert _listing(existing) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_destination_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a directory")
    with pytest.raises(NotADirectoryError, match="not a directory"), atomic_directory(target):
        pass  # pragma: no cover - never entered
    assert target.read_text() == "not a directory"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_temp_directory_is_hidden_and_unique(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_directory(out) as a, atomic_directory(tmp_path / "out2") as b:
        assert a.name.startswith(".out.tmp-")
        assert a != b


def test_fresh_sibling_gives_up_after_collisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_atomic.secrets, "token_hex", lambda n: "same")
    (tmp_path / ".out.tmp-same").mkdir()
    with pytest.raises(FileExistsError, match="temporary directory"):
        _atomic._fresh_sibling(tmp_path / "out", "tmp")


def test_atomic_write_text_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "p.csv"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.csv"]


def test_atomic_write_text_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.csv"
    target.write_text("old")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_atomic.os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["p.csv"]
