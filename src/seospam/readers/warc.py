"""WARC response records with HTML and WET conversion records; a truncated file gives what it can, then one error record."""

from __future__ import annotations

import io
import zlib
from typing import Any, Iterator

from ..errors import InputError
from ..inputs.decode import decode_bytes
from .base import MAX_RECORD_BYTES, Fields, Part, ReadStats, GZIP_ERRORS, first_line, open_binary, make_record


_HTML_TYPES = ("text/html", "application/xhtml+xml")


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
        except GZIP_ERRORS as e:
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


def read_warc(part: Part, fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Response records with HTML (WARC) or conversion records (WET); a truncated or corrupt file gives what it
    can, then one error record ``file:N`` for the rest of it."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    path = part.path
    wet = part.fmt == "wet"
    try:
        stream = _SafeStream(open_binary(path))
    except OSError as e:
        yield make_record(path, error=f"cannot open {path}: {first_line(e)}", source_file=path)
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
        problem = f"corrupt WARC from record {n + 1} on: {first_line(e)}"
    finally:
        stream.close()
    if stream.error is not None:
        problem = f"corrupt or truncated file from record {n + 1} on: {first_line(stream.error)}"
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
    except (InputError, *GZIP_ERRORS, ValueError) as e:
        return make_record(rid, url=url, error=f"unreadable WARC payload: {first_line(e)}", source_file=path), None
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
