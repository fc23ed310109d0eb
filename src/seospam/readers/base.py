"""Batch input: :func:`iter_records` streams records from JSONL, CSV, Parquet, page folders, WARC and WET files.

Every record is a dict ``{id, url, text, html, error, truncated, source_file}``. A record that cannot be read
becomes a record with ``error`` set (the scorer turns it into an error row), so nothing is ever dropped silently:
a line that is not JSON, a CSV row with a broken quote, a corrupt gzip stream or a truncated WARC each give an
error record and reading goes on. Order is stable (inputs as given, folders sorted), and ids are derived when
missing (WARC-Record-ID, else the URL, else ``file:line``), so a rerun sees the same records with the same ids.

Reading is split into :class:`Part` objects (a file, a byte range of a JSONL file, some Parquet row groups, a
batch of page files): the local engine reads them one after another, the Dask engine maps over them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generator, Iterable, Iterator

from ..errors import DataError, InputError
from ..inputs.decode import decode_bytes
from ..inputs.files import MAX_PAGE_BYTES, is_regular_file, open_regular
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
_GZIP_ERRORS = (OSError, EOFError, zlib.error)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


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
            if _starts_with(fh, b"["):
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


def iter_records(paths: Iterable[str | os.PathLike], fmt: str | None = None, id_field: str = "id",
                 text_field: str = "text", html_field: str = "html", url_field: str = "url", *,
                 stats: ReadStats | None = None) -> Iterator[dict[str, Any]]:
    """Stream records ``{id, url, text, html, error, truncated, source_file}`` from files and folders, in order."""
    fields = Fields(id_field, text_field, html_field, url_field)
    for part in plan_parts(expand_inputs(paths, fmt)):
        yield from read_part(part, fields, stats)


def read_part(part: Part, fields: Fields = Fields(), stats: ReadStats | None = None) -> Iterator[dict[str, Any]]:
    """Records of one :class:`Part`; a file that cannot be read gives an error record, never an exception."""
    stats = stats or ReadStats()
    readers = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet, "warc": _read_warc,
               "wet": _read_warc}
    if part.fmt in ("html", "text"):
        for f in part.files or (part.path,):
            yield _read_page_file(f, part.fmt)
        return
    yield from readers[part.fmt](part, fields, stats)


def read_part_frame(part: Part, fields: Fields = Fields()) -> Any:
    """Records of one part as a pandas DataFrame with :data:`RECORD_KEYS` columns (a Dask partition)."""
    import pandas as pd

    recs = list(read_part(part, fields))
    cols = {k: pd.Series([r[k] for r in recs], dtype=object) for k in RECORD_KEYS if k != "truncated"}
    cols["truncated"] = pd.Series([bool(r["truncated"]) for r in recs], dtype=bool)
    return pd.DataFrame(cols, columns=RECORD_KEYS)


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


def _from_mapping(obj: dict[str, Any], fields: Fields, fallback_id: str, source: str) -> dict[str, Any]:
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


def _first_line(e: BaseException) -> str:
    msg = str(e).strip().splitlines()
    return (msg[0] if msg else type(e).__name__)[:300]


# ---------------------------------------------------------------------------------------------------------------
# JSONL

def _open_binary(path: str) -> Any:
    return gzip.open(path, "rb") if _is_gzip_name(path) else open(path, "rb")


def _open_or_error(path: str) -> Generator[dict[str, Any], None, Any]:
    """Open a file for a reader generator; if it cannot be opened, yield one error record and return None."""
    try:
        return _open_binary(path)
    except OSError as e:
        yield make_record(path, error=f"cannot open {path}: {_first_line(e)}", source_file=path)
        return None


def _read_jsonl(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    path = part.path
    line_no = part.first
    fh = yield from _open_or_error(path)
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
                    pos += _skip_rest_of_line(fh)
                    yield make_record(f"{path}:{line_no}", error=f"line {line_no} is longer than "
                                      f"{MAX_RECORD_BYTES} bytes", source_file=path)
                elif line.strip():
                    yield _jsonl_record(line, path, line_no, fields)
                line_no += 1
        except _GZIP_ERRORS as e:
            yield make_record(f"{path}:{line_no}", error=f"corrupt or truncated file from line {line_no} on: "
                              f"{_first_line(e)}", source_file=path)


def _starts_with(fh: Any, prefix: bytes) -> bool:
    """Whether the file's first non-blank byte is ``prefix`` (the file position is kept)."""
    pos = fh.tell()
    head = fh.read(4096)
    fh.seek(pos)
    return head.lstrip().startswith(prefix)


def _skip_rest_of_line(fh: Any) -> int:
    n = 0
    while True:
        piece = fh.readline(1 << 20)
        n += len(piece)
        if not piece or piece.endswith(b"\n"):
            return n


def _jsonl_record(line: bytes, path: str, line_no: int, fields: Fields) -> dict[str, Any]:
    rid = f"{path}:{line_no}"
    try:
        obj = json.loads(line.decode("utf-8", errors="replace"))
    except ValueError as e:
        return make_record(rid, error=f"line {line_no} is not JSON: {_first_line(e)}", source_file=path)
    if not isinstance(obj, dict):
        return make_record(rid, error=f"line {line_no} is JSON but not an object", source_file=path)
    return _from_mapping(obj, fields, rid, path)


def _json_array(fh: Any) -> list | None:
    """The items of a file that is one JSON array (read whole: such files are small by nature), else None.

    A file that starts with "[" but is not one array (JSON lines whose first line is a list) is read as lines.
    """
    if not _starts_with(fh, b"["):
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
            yield _from_mapping(obj, fields, rid, path)
        else:
            yield make_record(rid, error=f"item {i} is not a JSON object", source_file=path)


# ---------------------------------------------------------------------------------------------------------------
# CSV

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
            self.pos += _skip_rest_of_line(self.fh)
        self.line_no += 1


def _read_csv(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """CSV with a header row; a row the csv module cannot parse is an error record and reading restarts on the
    next line, so an unclosed quote costs one row, not the rest of the file."""
    path = part.path
    csv.field_size_limit(MAX_RECORD_BYTES)  # also the per-record cap: a runaway quoted field stops here
    fh = yield from _open_or_error(path)
    if fh is None:
        return
    with fh:
        lines = _Lines(fh)
        try:
            header = next(csv.reader(lines, strict=True), None)
        except (csv.Error, *_GZIP_ERRORS) as e:
            yield make_record(f"{path}:1", error=f"cannot read the CSV header: {_first_line(e)}", source_file=path)
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
            yield make_record(f"{path}:{start_line}", error=f"CSV row at line {start_line}: {_first_line(e)}",
                              source_file=path)
            try:
                lines.restart_after(start_line, start_pos)
            except _GZIP_ERRORS as e2:
                yield make_record(f"{path}:{start_line + 1}", error=f"corrupt file: {_first_line(e2)}",
                                  source_file=path)
                return
            reader = csv.reader(lines, strict=True)
            continue
        except _GZIP_ERRORS as e:
            yield make_record(f"{path}:{start_line}", error=f"corrupt or truncated file from line {start_line} "
                              f"on: {_first_line(e)}", source_file=path)
            return
        if not row:
            continue  # blank line
        rid = f"{path}:{start_line}"
        if len(row) != len(header):
            yield make_record(rid, error=f"CSV row at line {start_line} has {len(row)} fields, the header has "
                              f"{len(header)}", source_file=path)
            continue
        yield _from_mapping({k: (v if v != "" else None) for k, v in zip(header, row)}, fields, rid, path)


# ---------------------------------------------------------------------------------------------------------------
# Parquet

def _read_parquet(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Parquet in row batches; a row group that cannot be decoded gives one error record per row it holds."""
    import pyarrow.parquet as pq

    path = part.path
    try:
        pf = pq.ParquetFile(path)
        md = pf.metadata
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, ...
        yield make_record(path, error=f"cannot read Parquet file {path}: {_first_line(e)}", source_file=path)
        return
    names = set(pf.schema_arrow.names)
    columns = [c for c in dict.fromkeys((fields.id, fields.url, fields.text, fields.html)) if c in names]
    stop = md.num_row_groups if part.stop is None else part.stop
    row = part.first  # 1-based, like line numbers
    for g in range(part.start, stop):
        n_rows = md.row_group(g).num_rows
        done = 0
        try:
            for batch in pf.iter_batches(batch_size=256, row_groups=[g], columns=columns, use_threads=False):
                for obj in batch.to_pylist():
                    yield _from_mapping(obj, fields, f"{path}:{row + done}", path)
                    done += 1
        except Exception as e:
            msg = f"unreadable Parquet row group {g}: {_first_line(e)}"
            for i in range(done, n_rows):
                yield make_record(f"{path}:{row + i}", error=msg, source_file=path)
        row += n_rows


# ---------------------------------------------------------------------------------------------------------------
# WARC and WET

class _SafeStream:
    """A file object for fastwarc that turns a read error into end-of-file and remembers it.

    fastwarc reads ahead; if the error were raised, the records already buffered would be lost with it. The last
    bytes are kept too: fastwarc silently skips a record header cut off by the end of the file, but such a file
    does not end the way every WARC record ends.
    """

    TAIL = 16

    def __init__(self, fh: Any):
        self.fh = fh
        self.error: BaseException | None = None
        self.total = 0
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        if self.error is not None:
            return b""
        try:
            # read1 makes one underlying read: a buffered read() that fails part-way drops what it had decoded.
            data = self.fh.read1(size if size and size > 0 else 1 << 16)
        except _GZIP_ERRORS as e:
            self.error = e
            return b""
        self.total += len(data)
        self.tail = (self.tail + data)[-self.TAIL:]
        return data

    def tell(self) -> int:
        return self.total

    def close(self) -> None:
        self.fh.close()

    def ends_cleanly(self) -> bool:
        """Whether the data ended at a record boundary: every WARC record ends with CRLF CRLF."""
        return self.total == 0 or self.tail.endswith(b"\r\n\r\n")


def _read_warc(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Response records with HTML (WARC) or conversion records (WET); a truncated or corrupt file gives what it
    can, then one error record ``file:N`` for the rest of it."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    path = part.path
    wet = part.fmt == "wet"
    try:
        stream = _SafeStream(_open_binary(path))
    except OSError as e:
        yield make_record(path, error=f"cannot open {path}: {_first_line(e)}", source_file=path)
        return
    wanted = WarcRecordType.conversion if wet else WarcRecordType.response | WarcRecordType.resource
    n = 0  # wanted records read so far
    status: str | None = None
    problem: str | None = None
    try:
        # gzip is decoded by the stream above (which reports truncation), so stream_detect is off; payloads are
        # read raw (auto_decode="none") so that a record cut short by the end of the file can be told apart.
        it = ArchiveIterator(stream, record_types=WarcRecordType.any_type, parse_http=True, auto_decode="none",
                             stream_detect=False, fsspec_args=False)
        for rec in it:
            if not rec.record_type & wanted:
                continue
            out, status = _warc_record(rec, path, wet, stats)
            if status == "header":
                break
            n += 1
            if out is not None:
                yield out
            if status == "cut":
                break
    except Exception as e:  # fastwarc raises OSError (and ValueError) for malformed input
        problem = f"corrupt WARC from record {n + 1} on: {_first_line(e)}"
    finally:
        stream.close()
    if stream.error is not None:
        problem = f"corrupt or truncated file from record {n + 1} on: {_first_line(stream.error)}"
    elif status == "header":
        problem = f"truncated or corrupt WARC record header (record {n + 1})"
    elif problem is None and status != "cut" and not stream.ends_cleanly():
        problem = f"truncated or corrupt file: it ends inside a WARC record, after record {n}"
    if problem:
        yield make_record(f"{path}:{n + 1}", error=problem, source_file=path)


def _read_exact(reader: Any, size: int) -> bytes:
    """Up to ``size`` bytes; fewer only at the end of the record (or of a truncated file)."""
    parts, got = [], 0
    while got < size:
        piece = reader.read(min(size - got, 1 << 20))
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
    return b"".join(parts)


def _warc_record(rec: Any, path: str, wet: bool, stats: ReadStats) -> tuple[dict | None, str | None]:
    """(record, or None if it is skipped; "header" if its header is broken, "cut" if the file ends inside it)."""
    rid = rec.record_id
    if not (rec.headers.get("Content-Length") or "").strip().isdigit() or not rid or not rid.endswith(">"):
        return None, "header"
    url = rec.headers.get("WARC-Target-URI") or None
    if rec.is_http and (rec.http_headers is None or rec.http_headers.status_code is None):
        return make_record(rid, url=url, error="WARC record has no readable HTTP headers (truncated or corrupt)",
                           source_file=path), None
    if not wet:
        skip = _skip_reason(rec)
        if skip:
            stats.skip(skip)
            return None, None
    want = min(rec.content_length, MAX_RECORD_BYTES + 1)
    raw = _read_exact(rec.reader, want)
    if len(raw) < want:
        # The file ends inside this record: report it rather than score half a page.
        return make_record(rid, url=url, error="WARC record is truncated (the file ends inside it)",
                           source_file=path), "cut"
    try:
        data = raw if wet else _decode_http_payload(rec, raw)
        truncated = len(data) > MAX_RECORD_BYTES
        body = decode_bytes(data[:MAX_RECORD_BYTES], None if wet else rec.http_charset)
    except (InputError, *_GZIP_ERRORS, ValueError) as e:
        return make_record(rid, url=url, error=f"unreadable WARC payload: {_first_line(e)}", source_file=path), None
    kind = "text" if wet or _is_plain_text(rec) else "html"
    return make_record(rid, url=url, truncated=truncated, source_file=path, **{kind: body}), None


def _decode_http_payload(rec: Any, raw: bytes) -> bytes:
    """Undo HTTP transfer and content encodings, reading at most MAX_RECORD_BYTES + 1 bytes (gzip bombs)."""
    if not rec.is_http or rec.http_headers is None:
        return raw
    te = (rec.http_headers.get("Transfer-Encoding") or "").lower()
    ce = (rec.http_headers.get("Content-Encoding") or "").lower().strip()
    if "chunked" in te:
        from fastwarc.stream_io import ChunkedReader

        raw = _read_exact(ChunkedReader(io.BytesIO(raw)), MAX_RECORD_BYTES + 1)
    if ce in ("", "identity", "none"):
        return raw
    if ce in ("gzip", "x-gzip", "deflate"):
        # wbits 47 reads gzip or zlib headers; raw deflate (no header) is the other common "deflate".
        for wbits in (47, -15):
            try:
                return zlib.decompressobj(wbits).decompress(raw, MAX_RECORD_BYTES + 1)
            except zlib.error:
                continue
        raise ValueError(f"bad {ce} payload")
    if ce in ("br", "zstd"):
        from fastwarc.stream_io import BrotliReader, ZstdReader

        reader = BrotliReader if ce == "br" else ZstdReader
        return _read_exact(reader(io.BytesIO(raw)), MAX_RECORD_BYTES + 1)
    raise ValueError(f"unsupported Content-Encoding {ce!r}")


def _skip_reason(rec: Any) -> str | None:
    """Why a WARC response is not a page to score (not HTML, not a 2xx answer), or None."""
    if rec.is_http:
        status = rec.http_headers.status_code if rec.http_headers is not None else None
        if status is not None and not 200 <= status < 300:
            return f"HTTP status {status // 100}xx"
        ctype = (rec.http_content_type or "").lower()
    else:
        ctype = (rec.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if not ctype or ctype.startswith(_HTML_TYPES) or ctype == "text/plain":
        return None
    return "not HTML"


def _is_plain_text(rec: Any) -> bool:
    ctype = (rec.http_content_type if rec.is_http else rec.headers.get("Content-Type")) or ""
    return ctype.split(";")[0].strip().lower() == "text/plain"


# ---------------------------------------------------------------------------------------------------------------
# folders of pages

def _read_page_file(path: str, fmt: str) -> dict[str, Any]:
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_RECORD_BYTES + 1)
    except OSError as e:
        return make_record(path, error=f"cannot read {path}: {e.strerror or _first_line(e)}", source_file=path)
    truncated = len(data) > MAX_RECORD_BYTES
    try:
        body = decode_bytes(data[:MAX_RECORD_BYTES])
    except InputError as e:
        return make_record(path, error=str(e), source_file=path)
    return make_record(path, truncated=truncated, source_file=path, **{fmt: body})

