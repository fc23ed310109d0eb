"""Opening files without blocking: a FIFO, socket or device named as input must not hang or stream forever."""

from __future__ import annotations

import errno
import os
import stat
from typing import Any

#: The one size cap, in bytes, of one page: a fetched body (larger is an error), a page file, a record's
#: decompressed payload or line, and HTML before parsing (larger is cut and flagged ``truncated``). It also stops
#: gzip bombs. Decimal megabytes, as the messages print them.
MAX_PAGE_BYTES = 10_000_000


def is_regular_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a regular file, following symlinks (a link to a regular file counts)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def open_regular(path: str | os.PathLike) -> Any:
    """Open a file for reading in binary, refusing anything but a regular file without blocking on it.

    ``O_NONBLOCK`` makes opening a FIFO return at once (a plain open waits for a writer); the fstat then refuses
    it. That also closes the gap between a folder walk's check and this open. Raises OSError.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)")
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
