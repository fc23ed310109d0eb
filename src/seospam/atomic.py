"""Atomic file writes: every file seospam writes (models, cards, batch outputs, reports) appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import OutputError


def why(e: OSError) -> str:
    """The reason of an OS error, for a one-line message."""
    return e.strerror or str(e) or type(e).__name__


def temp_name(path: Path) -> Path:
    """A fresh temporary name beside ``path``; :func:`remove_stale_temps` knows the pattern."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the block ends without an error.

    It is written beside ``path`` (same file system, so the rename is atomic), fsynced, then renamed over it.
    Raises :class:`~seospam.errors.OutputError` (exit 5) for an OS error; the temporary file is removed and
    ``path`` is untouched.
    """
    path = Path(path)
    tmp = temp_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # 0o666 leaves the permissions to the umask, like any new file (mkstemp would make it private).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {why(e)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(e, OSError):  # includes pyarrow's IO errors
            raise OutputError(f"cannot write {path}: {why(e)}") from None
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`)."""
    with atomic_open(path) as fh:
        fh.write(data)


def remove_stale_temps(path: str | os.PathLike) -> None:
    """Delete temporary files a killed run left beside ``path`` (names :func:`temp_name` chose, nothing else)."""
    path = Path(path)
    if not path.parent.is_dir():
        return
    for p in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            p.unlink()
        except OSError:
            pass
