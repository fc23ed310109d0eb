"""Page files (.html/.htm/.txt): one record per file."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..inputs.decode import decode_bytes
from ..inputs.files import open_regular
from .base import MAX_RECORD_BYTES, first_line, make_record


def read_page_file(path: str, fmt: str) -> dict[str, Any]:
    """One page file as a record (cut at the size cap and flagged ``truncated``), or an error record."""
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_RECORD_BYTES + 1)
    except OSError as e:
        return make_record(path, error=f"cannot read {path}: {e.strerror or first_line(e)}", source_file=path)
    truncated = len(data) > MAX_RECORD_BYTES
    try:
        body = decode_bytes(data[:MAX_RECORD_BYTES])
    except InputError as e:
        return make_record(path, error=str(e), source_file=path)
    return make_record(path, truncated=truncated, source_file=path, **{fmt: body})
