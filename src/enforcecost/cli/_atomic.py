"""Write an output directory all at once, never deleting what the writer did not write.

One mechanism, :func:`atomic_directory`. The new output is built in a hidden
*work directory* inside the destination (so the destination itself is never
renamed and may be a mount point), then its contents are swapped in: the
earlier output's entries move into a second work directory, the new entries
move up, and the earlier ones are deleted.

Every output lists what it wrote in ``.enforcecost-files.json`` (path, size and
modification time of each file, and each directory). The swap happens only if
everything in the destination, checked at swap time, is in that list; anything
else (a file a person added, edited or put there during the run) stops it, and
the new output is kept beside it under a name the error states. Only listed
entries are moved aside, and the earlier output is deleted file by file from its
list: what appears in it during the swap itself is kept (``enforcecost-kept-*``).

A work directory is named ``.enforcecost-tmp-XXXXXXXX`` or
``.enforcecost-old-XXXXXXXX`` and holds ``.enforcecost-lock``, which the
writing process keeps locked (``flock``) while it lives. One whose lock is free
belongs to a process that died (``SIGKILL``, power loss) and is deleted by the
next :func:`atomic_directory` on the same destination. SIGINT, SIGTERM and
SIGHUP are held back during the swap (a few renames and the deletion of the
earlier output) and delivered when it is done.

Size: a little over the house limit of 400 lines, kept in one module on purpose:
the listing, the locks and the swap are one safety argument, which reads best
in one place.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

__all__ = ["LISTING", "ForeignFilesError", "atomic_directory", "atomic_write_text",
           "foreign_entries"]

#: The list of what an output wrote, at its top level.
LISTING = ".enforcecost-files.json"
_LOCK = ".enforcecost-lock"
_LOCK_TEXT = "enforcecost work directory: deleted by the next run once this process is gone\n"
_WORK = re.compile(r"\.enforcecost-(tmp|old)-[0-9a-f]{8}")
_TRIES = 100
_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
#: Tests only: a directory; before swapping, create ``ready`` in it and wait for ``go``.
_GATE_ENV = "ENFORCECOST_TEST_SWAP_GATE"


class ForeignFilesError(OSError):
    """The destination holds files no earlier output wrote; nothing of them was touched.

    Attributes
    ----------
    reason : str
        The message without the path.
    path : Path
        The destination directory.
    foreign : list of str
        Its entries (relative paths) that are not in the earlier output's list.
    kept : Path or None
        Where the new output was left (inside ``path``), or None if none was built.
    """

    def __init__(self, path: Path, foreign: list[str], kept: Path | None) -> None:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                          else "")
        where = f"; the new output is in {kept}" if kept is not None else ""
        self.reason = (f"holds files that no earlier enforcecost output wrote, or that changed "
                       f"since ({shown}); "
                       f"they were left as they were{where}")
        super().__init__(f"{path}: {self.reason}")
        self.path, self.foreign, self.kept = path, foreign, kept


class _Work:
    """A work directory inside ``dest`` whose lock file this process holds."""

    def __init__(self, dest: Path, kind: str) -> None:
        for _ in range(_TRIES):
            path = dest / f".enforcecost-{kind}-{secrets.token_hex(4)}"
            try:
                path.mkdir()  # honours the umask, unlike tempfile.mkdtemp (0o700)
            except FileExistsError:
                continue
            break
        else:
            raise FileExistsError(f"could not create a work directory in {dest}")
        self.path, self.fd = path, -1
        try:  # lock first, then give the lock file its name: no one sees it unlocked
            pending = path / f"{_LOCK}.new"
            self.fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            os.write(self.fd, _LOCK_TEXT.encode())
            pending.rename(path / _LOCK)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            self.release(delete=False)
            raise

    def entries(self) -> list[Path]:
        return sorted(p for p in self.path.iterdir() if p.name != _LOCK)

    def release(self, delete: bool) -> None:
        """Unlock, deleting the directory (all of it: this process wrote it) first if asked."""
        if delete:
            shutil.rmtree(self.path, ignore_errors=True)
        if self.fd >= 0:
            with suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def _clean_leftovers(dest: Path) -> None:
    """Delete the work directories in ``dest`` of processes that are gone."""
    for entry in dest.iterdir():
        if not _WORK.fullmatch(entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        try:
            fd = os.open(entry / _LOCK, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue  # not (yet) a work directory of ours
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: its writer is alive
            if os.read(fd, len(_LOCK_TEXT) + 1) != _LOCK_TEXT.encode():
                continue
            if (entry / LISTING).exists():  # an earlier output: only what it lists
                _delete_listed(entry)
            else:  # a new output being built: all of it is ours
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass
        finally:
            os.close(fd)


def _listing(root: Path) -> dict[str, Any]:
    """What is under ``root``: ``{"dirs": [...], "files": {path: [bytes, mtime_ns]}}``."""
    dirs: list[str] = []
    files: dict[str, list[int]] = {}
    for top, subdirs, names in os.walk(root):  # symbolic links are listed, not followed
        for name in [*subdirs, *names]:
            p = Path(top, name)
            rel = p.relative_to(root).as_posix()
            if p.is_dir() and not p.is_symlink():
                dirs.append(rel)
            elif rel not in (_LOCK, LISTING):
                st = p.lstat()
                files[rel] = [st.st_size, st.st_mtime_ns]
    return {"format": 1, "dirs": sorted(dirs), "files": files}


def _known(root: Path) -> tuple[set[str], dict[str, list[int]]] | None:
    """The directories and files (with [bytes, mtime_ns]) that root's list names, if any."""
    try:
        known = json.loads((root / LISTING).read_text(encoding="utf-8"))
        dirs, files = set(known["dirs"]), dict(known["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return dirs, files


def _delete_listed(root: Path) -> tuple[OSError | None, list[str]]:
    """Delete what root's list names (files only if unchanged), then root if emptied.

    Returns the first error and the entries left that the list does not name.
    """
    dirs, files = _known(root) or (set(), {})
    error: OSError | None = None
    for rel, stamp in files.items():
        p = root / rel
        try:
            st = p.lstat()
            if [st.st_size, st.st_mtime_ns] == stamp:
                p.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            error = error or exc
    for rel in sorted(dirs, key=lambda r: r.count("/"), reverse=True):
        with suppress(OSError):  # not empty: an error above, or something not listed
            (root / rel).rmdir()
    rest = [p.relative_to(root).as_posix() for p in sorted(root.rglob("*"))
            if p.name not in (LISTING, _LOCK) and not (p.is_dir() and any(p.iterdir()))]
    if not rest:
        for name in (LISTING, _LOCK):
            (root / name).unlink(missing_ok=True)
        root.rmdir()
    return error, ([] if error is not None else rest)


def foreign_entries(dest: str | os.PathLike[str]) -> list[str]:
    """Entries of ``dest`` that its earlier output did not write, or that changed since.

    Parameters
    ----------
    dest : str or path-like
        An existing directory.

    Returns
    -------
    list of str
        Relative paths (a foreign directory is named, not its contents), sorted;
        empty when ``dest`` is empty or exactly an earlier output. Work
        directories (``.enforcecost-tmp-*``, ``.enforcecost-old-*``) are not counted.

    Raises
    ------
    OSError
        If ``dest`` cannot be read.
    """
    root = Path(dest)
    known = _known(root)
    dirs, files = known if known is not None else (set(), {})
    foreign: list[str] = []

    def walk(d: Path) -> None:
        for p in sorted(d.iterdir()):
            rel = p.relative_to(root).as_posix()
            if d == root and ((p.name == LISTING and known) or _WORK.fullmatch(p.name)
                              or p.name == _LOCK):
                continue
            st = p.lstat()
            if p.is_dir() and not p.is_symlink():
                if rel in dirs:
                    walk(p)
                else:
                    foreign.append(rel + "/")
            elif files.get(rel) != [st.st_size, st.st_mtime_ns]:
                foreign.append(rel)

    walk(root)
    return foreign


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back in the block; deliver the first one after it."""
    caught: list[int] = []
    saved: dict[int, Any] = {}

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    if threading.current_thread() is threading.main_thread():
        for s in _SIGNALS:
            if signal.getsignal(s) is not None:
                saved[s] = signal.signal(s, hold)
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    if caught:
        signal.raise_signal(caught[0])


def _wait_at_gate() -> None:
    gate = os.environ.get(_GATE_ENV)
    if gate:
        Path(gate, "ready").touch()
        deadline = time.monotonic() + 120
        while not Path(gate, "go").exists() and time.monotonic() < deadline:
            time.sleep(0.01)


def _swap_in(work: _Work, dest: Path, on_leftover: Callable[[str], None]) -> None:
    """Replace the contents of ``dest`` by those of ``work`` (see the module docstring)."""
    (work.path / LISTING).write_text(json.dumps(_listing(work.path)), encoding="utf-8")
    lock = os.open(dest, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one swap at a time in dest
        foreign = foreign_entries(dest)
        if foreign:
            kept = dest / f"enforcecost-new-{work.path.name[-8:]}"
            work.path.rename(kept)
            (kept / _LOCK).unlink()
            work.path = kept
            work.release(delete=False)
            raise ForeignFilesError(dest, foreign, kept)
        old = _Work(dest, "old")
        moved: list[tuple[Path, Path]] = []
        try:
            # The list goes first and comes back last: a destination caught half-way
            # (SIGKILL) holds no list, so it is never taken for a complete output.
            dirs, files = _known(dest) or (set(), {})
            tops = sorted({rel.split("/")[0] for rel in [*dirs, *files]})
            outgoing = [dest / n for n in [LISTING, *tops] if os.path.lexists(dest / n)]
            incoming = sorted(work.entries(), key=lambda p: p.name == LISTING)
            for src, dst in [*((p, old.path / p.name) for p in outgoing),
                             *((p, dest / p.name) for p in incoming)]:
                src.rename(dst)
                moved.append((src, dst))
        except BaseException:
            for src, dst in reversed(moved):
                dst.rename(src)
            old.release(delete=True)
            raise
    finally:
        os.close(lock)
    work.release(delete=True)
    try:
        error, rest = _delete_listed(old.path)
    except OSError as exc:
        error, rest = exc, []
    if rest:  # written into the earlier output during the swap: not ours to delete
        kept = dest / f"enforcecost-kept-{old.path.name[-8:]}"
        old.path.rename(kept)
        (kept / _LOCK).unlink()
        on_leftover(f"files that appeared in the earlier output during the swap "
                    f"({', '.join(rest[:5])}) were kept, with it, in {kept}")
    elif error is not None:
        on_leftover(f"could not delete the earlier output, moved to {old.path} ({error}); "
                    "the next run into this directory deletes it, or remove it yourself")
    old.release(delete=False)


def _warn(message: str) -> None:
    warnings.warn(message, RuntimeWarning, stacklevel=4)


@contextmanager
def atomic_directory(
    path: str | os.PathLike[str], *, on_leftover: Callable[[str], None] = _warn
) -> Iterator[Path]:
    """Build an output directory in a work directory inside it and swap it in on success.

    Parameters
    ----------
    path : str or path-like
        The destination directory, created (with its parents) if missing. If it
        exists it must be a directory, empty or holding exactly an earlier output
        of this function (it may be a mount point: it is never renamed).
    on_leftover : callable, optional
        Called with a one-line message when the earlier output could not be
        deleted after the new one was installed (default: a ``RuntimeWarning``).

    Yields
    ------
    Path
        An empty work directory inside ``path``; write everything there.

    Raises
    ------
    NotADirectoryError
        If ``path`` exists and is not a directory.
    ForeignFilesError
        If, at swap time, ``path`` holds anything its earlier output did not
        write; those files and the earlier output are untouched, and the new
        output is kept in ``path/enforcecost-new-XXXXXXXX``.
    OSError
        If the work directory cannot be created or swapped in (``path`` is then
        left as it was).

    Notes
    -----
    If the block raises (any exception, including ``KeyboardInterrupt`` and
    the exception a signal handler raises), the work directory is deleted and
    ``path`` is as it was (removed again if this call created it and it is
    still empty). During the swap readers may briefly see a mix of the two
    outputs; the list ``.enforcecost-files.json`` is installed last.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with atomic_directory(out) as tmp:
    ...     _ = (tmp / "summary.csv").write_text("a,b\\n1,2\\n")
    >>> sorted(p.name for p in out.iterdir())
    ['.enforcecost-files.json', 'summary.csv']
    """
    dest = Path(path)
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(f"{dest} exists and is not a directory")
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        _clean_leftovers(dest)
        work = _Work(dest, "tmp")
    except BaseException:
        if created:
            with suppress(OSError):
                dest.rmdir()
        raise
    installed = False
    try:
        yield work.path
        _wait_at_gate()
        with _signals_held():
            _swap_in(work, dest, on_leftover)
            installed = True
    except BaseException as exc:
        if installed:  # a signal held back during the swap, delivered now
            exc.add_note(f"(the new output had been installed in {dest})")
            raise
        if work.path.name.startswith(".enforcecost-tmp-"):
            work.release(delete=True)
        if created:
            with suppress(OSError):
                dest.rmdir()
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary sibling file and ``os.replace``.

    Parameters
    ----------
    path : str or path-like
        The destination file; replaced whole, never left half-written.
    text : str
        The content.
    encoding : str
        Text encoding.
    """
    dest = Path(path)
    tmp = dest.with_name(f".{dest.name}.tmp-{secrets.token_hex(4)}")
    try:
        with tmp.open("x", encoding=encoding, newline="") as fh:
            fh.write(text)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
