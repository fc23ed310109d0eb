"""JSON Lines (or one JSON array) records; a line that is not a JSON object is an error record."""

from __future__ import annotations

import json
from typing import Any, Iterator

from .base import (MAX_RECORD_BYTES, Fields, Part, ReadStats, GZIP_ERRORS, first_line, from_mapping, open_or_error,
                   skip_rest_of_line, starts_with, make_record)


def read_jsonl(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Records of a JSONL part (or of a file that is one JSON array); a bad line is an error record."""
    path = part.path
    line_no = part.first
    fh = yield from open_or_error(path)
    if fh is None:
        return
    with fh:
        try:
            if part.start:
                fh.seek(part.start)
            items = _json_array(fh) if part.start == 0 and part.stop is None else None
            if items is not None:
                yield from _array_records(items, path, fields)
                return
            pos = part.start
            while part.stop is None or pos < part.stop:
                line = fh.readline(MAX_RECORD_BYTES + 1)
                if not line:
                    break
                pos += len(line)
                if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                    pos += skip_rest_of_line(fh)
                    yield make_record(f"{path}:{line_no}", error=f"line {line_no} is longer than "
                                      f"{MAX_RECORD_BYTES} bytes", source_file=path)
                elif line.strip():
                    yield _jsonl_record(line, path, line_no, fields)
                line_no += 1
        except GZIP_ERRORS as e:
            yield make_record(f"{path}:{line_no}", error=f"corrupt or truncated file from line {line_no} on: "
                              f"{first_line(e)}", source_file=path)


def _jsonl_record(line: bytes, path: str, line_no: int, fields: Fields) -> dict[str, Any]:
    rid = f"{path}:{line_no}"
    try:
        obj = json.loads(line.decode("utf-8", errors="replace"))
    except ValueError as e:
        return make_record(rid, error=f"line {line_no} is not JSON: {first_line(e)}", source_file=path)
    if not isinstance(obj, dict):
        return make_record(rid, error=f"line {line_no} is JSON but not an object", source_file=path)
    return from_mapping(obj, fields, rid, path)


def _json_array(fh: Any) -> list | None:
    """The items of a file that is one JSON array (read whole: such files are small by nature), else None.

    A file that starts with "[" but is not one array (JSON lines whose first line is a list) is read as lines.
    """
    if not starts_with(fh, b"["):
        return None
    try:
        items = json.loads(fh.read().decode("utf-8", errors="replace"))
    except ValueError:
        items = None
    fh.seek(0)
    return items if isinstance(items, list) else None


def _array_records(items: list, path: str, fields: Fields) -> Iterator[dict[str, Any]]:
    for i, obj in enumerate(items, 1):
        rid = f"{path}:{i}"
        if isinstance(obj, dict):
            yield from_mapping(obj, fields, rid, path)
        else:
            yield make_record(rid, error=f"item {i} is not a JSON object", source_file=path)
