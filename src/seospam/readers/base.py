"""Batch input planning and the record shape: :func:`seospam.readers.iter_records` streams records from JSONL, CSV, Parquet, page folders, WARC and WET files.

Every record is a dict ``{id, url, text, html, error, truncated, source_file}``. A record that cannot be read
becomes a record with ``error`` set (the scorer turns it into an error row), so nothing is ever dropped silently:
a line that is not JSON, a CSV row with a broken quote, a corrupt gzip stream or a truncated WARC each give an
error record and reading goes on. Order is stable (inputs as given, folders sorted), and ids are derived when
missing (WARC-Record-ID, else the URL, else ``file:line``), so a rerun sees the same records with the same ids.

Reading is split into :class:`Part` objects (a file, a byte range of a JSONL file, some Parquet row groups, a
batch of page files): the local engine reads them one after another, the Dask engine maps over them.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generator, Iterable, Iterator

from ..errors import DataError, InputError
from ..inputs.decode import decode_bytes
from ..inputs.files import MAX_PAGE_BYTES, is_regular_file
from ..strings import safe_value

#: Decompressed bytes one record may take (guards against gzip bombs): a longer JSONL line or CSV field is an
#: error record; a longer WARC/WET payload or page file is cut here and the row is flagged ``truncated``.
MAX_RECORD_BYTES = MAX_PAGE_BYTES

#: Record keys, in the column order of a partition frame.
RECORD_KEYS = ["id", "url", "text", "html", "error", "truncated", "source_file"]

#: Formats ``--format`` accepts.
FORMATS = ("jsonl", "csv", "parquet", "html", "text", "warc", "wet")

# Longest suffix first, so "x.warc.wet.gz" is WET and "x.jsonl.gz" is JSONL.
_SUFFIXES = [
    (".warc.wet.gz", "wet"), (".wet.gz", "wet"), (".wet", "wet"),
    (".warc.gz", "warc"), (".warc", "warc"),
    (".jsonl.gz", "jsonl"), (".ndjson.gz", "jsonl"), (".json.gz", "jsonl"), (".jsonl", "jsonl"),
    (".ndjson", "jsonl"), (".json", "jsonl"),
    (".csv.gz", "csv"), (".csv", "csv"),
    (".parquet", "parquet"), (".pq", "parquet"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"),
    (".txt", "text"),
]
GZIP_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(frozen=True)
class Part:
    """A unit of reading: a whole file, a byte range of a JSONL file, Parquet row groups, or some page files."""

    path: str
    fmt: str
    start: int = 0            # jsonl: first byte; parquet: first row group
    stop: int | None = None   # jsonl: end byte (exclusive); parquet: row group after the last; None = to the end
    first: int = 1            # jsonl: number of the first line; parquet: number of the first row (both 1-based)
    files: tuple[str, ...] = field(default=())  # html/text: the page files of this part


@dataclass(frozen=True)
class Fields:
    """Which input fields hold the id, text, html and url of a record (JSONL, CSV, Parquet)."""

    id: str = "id"
    text: str = "text"
    html: str = "html"
    url: str = "url"


class ReadStats:
    """Counts of input records that are not pages and were skipped on purpose (reported in the summary)."""

    def __init__(self) -> None:
        self.skipped: dict[str, int] = {}

    def skip(self, why: str) -> None:
        """Count one skipped record."""
        self.skipped[why] = self.skipped.get(why, 0) + 1


def make_record(id: Any, *, url: Any = None, text: Any = None, html: Any = None, error: str | None = None,
                truncated: bool = False, source_file: str | None = None) -> dict[str, Any]:
    """A record dict with every key set; lone surrogates in the id, url and error are escaped (see seospam.strings)."""
    id, url, error = safe_value(id), safe_value(url), safe_value(error)
    return {"id": id, "url": url, "text": text, "html": html, "error": error, "truncated": truncated,
            "source_file": source_file}


def format_of(path: str | os.PathLike) -> str | None:
    """Input format from a file name's extension, or None when it is not one batch reads."""
    name = Path(path).name.lower()
    for suffix, fmt in _SUFFIXES:
        if name.endswith(suffix):
            return fmt
    return None


def expand_inputs(paths: Iterable[str | os.PathLike], fmt: str | None = None) -> list[tuple[str, str]]:
    """(file, format) for every input: folders are walked in sorted order, hidden files and unknown kinds skipped.

    Raises :class:`InputError` for a missing path and :class:`DataError` for a file whose format is unknown.
    """
    if fmt is not None and fmt not in FORMATS:
        raise DataError(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in _walk(p):
                f_fmt = fmt or format_of(f)
                if f_fmt:
                    out.append((str(f), f_fmt))
        elif p.exists():
            f_fmt = fmt or format_of(p)
            if f_fmt is None:
                raise DataError(f"{p}: unknown input format; name it .jsonl, .csv, .parquet, .warc.gz, .wet.gz, "
                                f".html or .txt, or pass --format")
            out.append((str(p), f_fmt))
        else:
            raise InputError(f"{p}: no such file or folder")
    return out


def _walk(folder: Path) -> Iterator[Path]:
    """Regular files under ``folder``, sorted; FIFOs, sockets, devices and dangling links are passed over, since
    opening a FIFO blocks until something writes to it and a device can be endless."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if not name.startswith((".", "_")) and is_regular_file(Path(root) / name):  # .crc, _SUCCESS: droppings
                yield Path(root) / name


def plan_parts(files: list[tuple[str, str]], *, block_bytes: int | None = None, pages_per_part: int = 1,
               row_groups_per_part: int | None = None) -> list[Part]:
    """Split inputs into :class:`Part` objects, in reading order.

    With ``block_bytes``, an uncompressed JSONL file is cut into blocks at line ends (the file is scanned once to
    number the lines); ``row_groups_per_part`` splits Parquet files; ``pages_per_part`` groups page files.
    """
    parts: list[Part] = []
    pages: list[str] = []
    pages_fmt = None
    for path, fmt in files:
        if fmt in ("html", "text"):
            if pages and (fmt != pages_fmt or len(pages) >= pages_per_part):
                parts.append(Part(pages[0], pages_fmt, files=tuple(pages)))
                pages = []
            pages.append(path)
            pages_fmt = fmt
            continue
        if pages:
            parts.append(Part(pages[0], pages_fmt, files=tuple(pages)))
            pages = []
        if fmt == "jsonl" and block_bytes and not _is_gzip_name(path):
            parts.extend(_jsonl_blocks(path, block_bytes))
        elif fmt == "parquet" and row_groups_per_part:
            parts.extend(_parquet_parts(path, row_groups_per_part))
        else:
            parts.append(Part(path, fmt))
    if pages:
        parts.append(Part(pages[0], pages_fmt, files=tuple(pages)))
    return parts


def _is_gzip_name(path: str) -> bool:
    return path.lower().endswith(".gz")


def _jsonl_blocks(path: str, block_bytes: int) -> list[Part]:
    """Byte ranges of about ``block_bytes`` that end at line ends, each with the number of its first line."""
    parts: list[Part] = []
    start, first, line, pos = 0, 1, 1, 0
    try:
        with open(path, "rb") as fh:
            if starts_with(fh, b"["):
                return [Part(path, "jsonl")]  # perhaps one JSON array: not cut into lines
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                i = 0
                while True:
                    j = chunk.find(b"\n", i)
                    if j < 0:
                        break
                    line += 1
                    end = pos + j + 1
                    if end - start >= block_bytes:
                        parts.append(Part(path, "jsonl", start, end, first))
                        start, first = end, line
                    i = j + 1
                pos += len(chunk)
    except OSError:
        return [Part(path, "jsonl")]  # reading it later reports the error as a record
    if pos > start or not parts:
        parts.append(Part(path, "jsonl", start, None, first))
    return parts


def _parquet_parts(path: str, per_part: int) -> list[Part]:
    try:
        import pyarrow.parquet as pq

        md = pq.ParquetFile(path).metadata
    except Exception:
        return [Part(path, "parquet")]  # reading it later reports the error as a record
    parts, row = [], 1
    for g in range(0, md.num_row_groups, per_part):
        stop = min(g + per_part, md.num_row_groups)
        parts.append(Part(path, "parquet", g, stop, row))
        row += sum(md.row_group(i).num_rows for i in range(g, stop))
    return parts or [Part(path, "parquet")]


# ---------------------------------------------------------------------------------------------------------------
# field values

def _value(v: Any) -> Any:
    """A field value as score_frame would see it: missing → None, bytes decoded, other scalars → str."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def from_mapping(obj: dict[str, Any], fields: Fields, fallback_id: str, source: str) -> dict[str, Any]:
    """A record from one JSON object, CSV row or Parquet row."""
    try:
        rid, url = _value(obj.get(fields.id)), _value(obj.get(fields.url))
        text, html = _value(obj.get(fields.text)), _value(obj.get(fields.html))
    except InputError as e:  # undecodable bytes in a binary column
        return make_record(fallback_id, error=str(e), source_file=source)
    rid = rid if rid not in (None, "") else (url or fallback_id)
    for name in (fields.text, fields.html):
        # A JSON object or array where the page should be is a broken record, not a page: its JSON dump would be
        # scored as if it were the page's words.
        if isinstance(obj.get(name), (dict, list)):
            return make_record(rid, url=url or None, error=f"the {name} field holds a JSON "
                               f"{'object' if isinstance(obj.get(name), dict) else 'array'}, not a string",
                               source_file=source)
    return make_record(rid, url=url or None, text=text, html=html, source_file=source)


def first_line(e: BaseException) -> str:
    """The first line of an exception's message (at most 300 characters), for an error record."""
    msg = str(e).strip().splitlines()
    return (msg[0] if msg else type(e).__name__)[:300]


def open_binary(path: str) -> Any:
    """Open an input file for binary reading, gunzipping a .gz name."""
    return gzip.open(path, "rb") if _is_gzip_name(path) else open(path, "rb")


def open_or_error(path: str) -> Generator[dict[str, Any], None, Any]:
    """Open a file for a reader generator; if it cannot be opened, yield one error record and return None."""
    try:
        return open_binary(path)
    except OSError as e:
        yield make_record(path, error=f"cannot open {path}: {first_line(e)}", source_file=path)
        return None


def starts_with(fh: Any, prefix: bytes) -> bool:
    """Whether the file's first non-blank byte is ``prefix`` (the file position is kept)."""
    pos = fh.tell()
    head = fh.read(4096)
    fh.seek(pos)
    return head.lstrip().startswith(prefix)


def skip_rest_of_line(fh: Any) -> int:
    """Read past the end of an over-long line; returns the bytes skipped."""
    n = 0
    while True:
        piece = fh.readline(1 << 20)
        n += len(piece)
        if not piece or piece.endswith(b"\n"):
            return n
