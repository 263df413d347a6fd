"""Write a directory or a file all at once, or not at all.

Batch outputs are built in a temporary sibling of their destination (same
filesystem, so the final step is a ``rename``) and moved into place only when
everything was written. A crash, an exception or Ctrl-C part way leaves the
destination as it was and no temporary files behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_directory", "atomic_write_text"]

_TRIES = 100


def _fresh_sibling(path: Path, tag: str) -> Path:
    """Create and return a new empty directory next to ``path`` (hidden, unique name)."""
    for _ in range(_TRIES):
        candidate = path.with_name(f".{path.name}.{tag}-{secrets.token_hex(4)}")
        try:
            candidate.mkdir()  # honours the umask, unlike tempfile.mkdtemp (0o700)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"could not create a temporary directory next to {path}")


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Build a directory in a temporary sibling and move it into place on success.

    Parameters
    ----------
    path : str or path-like
        The destination directory. Its parent is created if missing. If it
        exists it must be a directory; it is replaced as a whole.

    Yields
    ------
    Path
        An empty temporary directory next to ``path``; write everything there.

    Raises
    ------
    NotADirectoryError
        If ``path`` exists and is not a directory.
    OSError
        If the temporary directory cannot be created or moved into place (the
        destination is then left as it was).

    Notes
    -----
    On leaving the block normally: an existing ``path`` is renamed aside, the
    temporary directory is renamed to ``path``, then the old one is deleted. If
    the block raises (any exception, including ``KeyboardInterrupt``), the
    temporary directory is deleted and ``path`` is untouched. Readers never see
    a half-written ``path``; between the two renames ``path`` is briefly absent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with atomic_directory(out) as tmp:
    ...     _ = (tmp / "summary.csv").write_text("a,b\\n1,2\\n")
    >>> sorted(p.name for p in out.iterdir())
    ['summary.csv']
    """
    dest = Path(path)
    if dest.exists() and not dest.is_dir():
        raise NotADirectoryError(f"{dest} exists and is not a directory")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = _fresh_sibling(dest, "tmp")
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _swap_in(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(new: Path, dest: Path) -> None:
    """Rename ``new`` to ``dest``, replacing an existing ``dest`` directory."""
    if not (dest.exists() or dest.is_symlink()):
        new.rename(dest)
        return
    aside = _fresh_sibling(dest, "old")
    old = aside / dest.name
    try:
        dest.rename(old)
    except BaseException:
        aside.rmdir()
        raise
    try:
        new.rename(dest)
    except BaseException:
        old.rename(dest)  # put the previous output back
        aside.rmdir()
        raise
    # The new output is in place; failing to delete the old one must not undo that.
    shutil.rmtree(aside, ignore_errors=True)


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
