"""atomic_directory / atomic_write_text: all of the output or none, never a user's file."""

from __future__ import annotations

import errno
import json
import os
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from enforcecost.cli import _atomic
from enforcecost.cli._atomic import (
    LISTING,
    ForeignFilesError,
    atomic_directory,
    atomic_write_text,
    foreign_entries,
)


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
    """An earlier output of atomic_directory: old.csv and sub/keep.csv."""
    out = tmp_path / "out"
    with atomic_directory(out) as tmp:
        (tmp / "sub").mkdir()
        (tmp / "old.csv").write_text("old")
        (tmp / "sub" / "keep.csv").write_text("old sub")
    return out


def _entries(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def test_success_builds_inside_destination(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "out"
    with atomic_directory(out) as tmp:
        # inside: the destination itself is never renamed (it may be a mount point)
        assert tmp.parent == out
        assert tmp.name.startswith(".enforcecost-tmp-")
        (tmp / "a.csv").write_text("a")
    assert _listing(out) == {"a.csv": "a", LISTING: (out / LISTING).read_text()}
    assert json.loads((out / LISTING).read_text())["files"].keys() == {"a.csv"}
    assert [p.name for p in out.parent.iterdir()] == ["out"]  # no temp left


def test_crash_mid_write_leaves_no_directory_and_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="crash"):
        _write_then_fail(out, RuntimeError("crash"))
    assert not out.exists()  # created for the run, removed again
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


def test_existing_output_replaced_on_success(tmp_path: Path, existing: Path) -> None:
    with atomic_directory(existing) as tmp:
        (tmp / "new.csv").write_text("new")
        assert _listing(existing)["old.csv"] == "old"  # still the old one meanwhile
    assert _entries(existing) == [LISTING, "new.csv"]  # replaced whole: stale files gone
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _write(out: Path, names: Sequence[str], during: Callable[[], object] = list) -> None:
    """Write an output of files ``names`` (text: the name); call ``during`` part way."""
    with atomic_directory(out) as tmp:
        for i, name in enumerate(names):
            (tmp / name).write_text(name)
            if i == 0:
                during()


def test_directory_it_did_not_write_is_refused_and_new_output_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(ForeignFilesError, match=r"out: holds files that no earlier "
                       r"enforcecost output wrote, or that changed since \(thesis.tex\); "
                       r"they were left as they were; "
                       r"the new output is in .*enforcecost-new-") as info:
        _write(out, ["new.csv"])
    kept = info.value.kept
    assert kept is not None
    assert kept.parent == out
    assert (out / "thesis.tex").read_text() == "years of work"
    assert _entries(out) == [kept.name, "thesis.tex"]
    assert _entries(kept) == [LISTING, "new.csv"]  # complete, and no lock: not a leftover
    assert info.value.foreign == ["thesis.tex"]


def test_file_appearing_during_the_run_is_kept(tmp_path: Path, existing: Path) -> None:
    """The reviewer's defect 1: the check is made at swap time, not only at the start."""
    before = _listing(existing)

    def user_writes() -> None:
        (existing / "notes.txt").write_text("notes")
        (existing / "sub" / "mine.txt").write_text("mine")

    with pytest.raises(ForeignFilesError, match=r"\(notes.txt, sub/mine.txt\)"):
        _write(existing, ["new.csv"], during=user_writes)
    after = {k: v for k, v in _listing(existing).items() if not k.startswith("enforcecost-new-")}
    assert after == {**before, "notes.txt": "notes", "sub/mine.txt": "mine"}


def test_file_edited_since_the_earlier_output_is_kept(tmp_path: Path, existing: Path) -> None:
    def user_edits() -> None:
        (existing / "old.csv").write_text("edited by hand")

    with pytest.raises(ForeignFilesError, match=r"\(old.csv\)"):
        _write(existing, ["new.csv"], during=user_edits)
    assert (existing / "old.csv").read_text() == "edited by hand"
    assert foreign_entries(existing)[-1] == "old.csv"


def test_mount_point_is_never_renamed(
    tmp_path: Path, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renaming a mount point fails (EBUSY): the swap moves its contents instead."""
    real_rename = os.rename

    def rename(src: object, dst: object) -> None:
        if existing in (Path(str(src)), Path(str(dst))):
            raise OSError(errno.EBUSY, "Device or resource busy")
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)
    with atomic_directory(existing) as tmp:
        (tmp / "new.csv").write_text("new")
    assert _entries(existing) == [LISTING, "new.csv"]


def test_failed_move_restores_old_directory(
    tmp_path: Path, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rename = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name == "new.csv":
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    before = _listing(existing)
    with pytest.raises(OSError, match="No space"):
        _write(existing, ["a.csv", "new.csv"])  # a.csv is moved in, then back
    assert _listing(existing) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_destination_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a directory")
    with pytest.raises(NotADirectoryError, match="not a directory"), atomic_directory(target):
        pass  # pragma: no cover - never entered
    assert target.read_text() == "not a directory"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_concurrent_outputs_to_one_destination(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_directory(out) as a, atomic_directory(out) as b:
        assert a != b
        (a / "a.csv").write_text("a")
        (b / "b.csv").write_text("b")
    assert _entries(out) == [LISTING, "a.csv"]  # the last one swapped in wins, whole


def test_work_directory_gives_up_after_collisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_atomic.secrets, "token_hex", lambda n: "same")
    (tmp_path / ".enforcecost-tmp-same").mkdir()
    with pytest.raises(FileExistsError, match="could not create a work directory in"):
        _atomic._Work(tmp_path, "tmp")


def test_leftovers_of_dead_processes_are_cleaned(tmp_path: Path, existing: Path) -> None:
    dead = _atomic._Work(existing, "tmp")
    (dead.path / "half.csv").write_text("half")
    dead.release(delete=False)  # as if killed: the lock is free, the directory stays
    alive = _atomic._Work(existing, "old")  # another run, still going
    stranger = existing / ".enforcecost-tmp-0123abcd"  # our pattern, but no lock file
    stranger.mkdir()
    with atomic_directory(existing) as tmp:
        assert not dead.path.exists()
        (tmp / "new.csv").write_text("new")
    assert _entries(existing) == sorted([alive.path.name, stranger.name, LISTING, "new.csv"])
    alive.release(delete=True)


def test_old_output_that_cannot_be_deleted_is_reported(
    tmp_path: Path, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "old.csv" and self.parent.name.startswith(".enforcecost-old-"):
            raise PermissionError(13, "Permission denied")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    said: list[str] = []
    with atomic_directory(existing, on_leftover=said.append) as tmp:
        (tmp / "new.csv").write_text("new")
    [old] = existing.glob(".enforcecost-old-*")
    assert said == [f"could not delete the earlier output, moved to {old} ([Errno 13] "
                    "Permission denied); the next run into this directory deletes it, "
                    "or remove it yourself"]
    assert _entries(old) == sorted([".enforcecost-lock", LISTING, "old.csv"])
    monkeypatch.undo()
    with atomic_directory(existing) as tmp:
        (tmp / "newer.csv").write_text("newer")
    assert _entries(existing) == [LISTING, "newer.csv"]


def test_files_appearing_during_the_swap_are_kept(
    tmp_path: Path, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the check, within the swap's lock: nothing unlisted is moved or deleted."""
    (existing / "top.txt").write_text("top")  # as if written just after the check
    monkeypatch.setattr(_atomic, "foreign_entries", lambda dest: [])
    real_delete = _atomic._delete_listed

    def delete(root: Path) -> tuple[OSError | None, list[str]]:
        (root / "sub" / "late.txt").write_text("late")  # into the earlier output, moved
        return real_delete(root)

    monkeypatch.setattr(_atomic, "_delete_listed", delete)
    said: list[str] = []
    with atomic_directory(existing, on_leftover=said.append) as tmp:
        (tmp / "new.csv").write_text("new")
    [kept] = existing.glob("enforcecost-kept-*")
    assert said == [f"files that appeared in the earlier output during the swap "
                    f"(sub/late.txt) were kept, with it, in {kept}"]
    assert set(_listing(kept)) == {LISTING, "sub/late.txt"}  # old.csv, sub/keep.csv deleted
    assert _entries(existing) == sorted([kept.name, LISTING, "new.csv", "top.txt"])


def test_signal_during_the_swap_is_delivered_after_it(
    tmp_path: Path, existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_release = _atomic._Work.release

    def release(self: _atomic._Work, delete: bool) -> None:
        if self.path.name.startswith(".enforcecost-old-"):  # deleting the earlier output
            signal.raise_signal(signal.SIGINT)
        real_release(self, delete)

    monkeypatch.setattr(_atomic._Work, "release", release)
    monkeypatch.setattr(signal, "getsignal", lambda s: signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with pytest.raises(KeyboardInterrupt) as info:
        _write(existing, ["new.csv"])
    assert info.value.__notes__ == [f"(the new output had been installed in {existing})"]
    assert _entries(existing) == [LISTING, "new.csv"]  # complete, the earlier one deleted


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
