"""CSV with a header row; a row the csv module cannot parse costs that row only."""

from __future__ import annotations

import csv
from typing import Any, Iterator

from .base import (MAX_RECORD_BYTES, Fields, Part, ReadStats, GZIP_ERRORS, first_line, from_mapping, open_or_error,
                   skip_rest_of_line, make_record)


class _Lines:
    """Decoded lines of a binary file, counting line numbers and byte offsets (for restarting after a bad row)."""

    def __init__(self, fh: Any, line_no: int = 1):
        self.fh = fh
        self.line_no = line_no - 1  # number of the last line handed out
        self.pos = fh.tell()        # byte offset of the next line

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.fh.readline(MAX_RECORD_BYTES + 1)
        if not line:
            raise StopIteration
        self.pos += len(line)
        self.line_no += 1
        return line.decode("utf-8", errors="replace")

    def restart_after(self, line_no: int, pos: int) -> None:
        """Continue with the line after ``line_no``, which starts at byte ``pos``."""
        self.fh.seek(pos)
        self.line_no, self.pos = line_no - 1, pos
        skipped = self.fh.readline(MAX_RECORD_BYTES + 1)
        self.pos += len(skipped)
        if len(skipped) > MAX_RECORD_BYTES and not skipped.endswith(b"\n"):
            self.pos += skip_rest_of_line(self.fh)
        self.line_no += 1


def read_csv(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """CSV with a header row; a row the csv module cannot parse is an error record and reading restarts on the
    next line, so an unclosed quote costs one row, not the rest of the file."""
    path = part.path
    csv.field_size_limit(MAX_RECORD_BYTES)  # also the per-record cap: a runaway quoted field stops here
    fh = yield from open_or_error(path)
    if fh is None:
        return
    with fh:
        lines = _Lines(fh)
        try:
            header = next(csv.reader(lines, strict=True), None)
        except (csv.Error, *GZIP_ERRORS) as e:
            yield make_record(f"{path}:1", error=f"cannot read the CSV header: {first_line(e)}", source_file=path)
            return
        if header is None:
            return
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        yield from _csv_rows(lines, header, path, fields)


def _csv_rows(lines: _Lines, header: list[str], path: str, fields: Fields) -> Iterator[dict[str, Any]]:
    reader = csv.reader(lines, strict=True)
    while True:
        start_line, start_pos = lines.line_no + 1, lines.pos
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield make_record(f"{path}:{start_line}", error=f"CSV row at line {start_line}: {first_line(e)}",
                              source_file=path)
            try:
                lines.restart_after(start_line, start_pos)
            except GZIP_ERRORS as e2:
                yield make_record(f"{path}:{start_line + 1}", error=f"corrupt file: {first_line(e2)}",
                                  source_file=path)
                return
            reader = csv.reader(lines, strict=True)
            continue
        except GZIP_ERRORS as e:
            yield make_record(f"{path}:{start_line}", error=f"corrupt or truncated file from line {start_line} "
                              f"on: {first_line(e)}", source_file=path)
            return
        if not row:
            continue  # blank line
        rid = f"{path}:{start_line}"
        if len(row) != len(header):
            yield make_record(rid, error=f"CSV row at line {start_line} has {len(row)} fields, the header has "
                              f"{len(header)}", source_file=path)
            continue
        yield from_mapping({k: (v if v != "" else None) for k, v in zip(header, row)}, fields, rid, path)
