"""Batch output: atomic .jsonl / .csv / .parquet writers, and the resume sidecar (:class:`PartialLog`).

While a batch runs, finished chunks are appended to ``OUTPUT.partial.jsonl`` (flushed and fsynced per chunk):
a header line describing the run, then rows (JSON arrays in column order), each chunk closed by a marker line
``{"_seospam": "done", "records": N}``. Only rows up to the last marker count, so a run killed at any point
(even half-way through a line) resumes from the last whole chunk. The final output is written from the sidecar
through a temporary file in the same folder and ``os.replace``, so readers never see half a file.

One run per output: :class:`OutputLock` holds an exclusive ``flock`` on ``OUTPUT.lock`` for the whole run. A file
that cannot be written (sidecar or output) raises :class:`~seospam.errors.OutputError` (exit 5) and leaves the
sidecar as it was after its last whole chunk, so ``--resume`` finishes the run once space is back.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..atomic import atomic_open, why as _why
from ..errors import DataError, OutputError, OutputLockedError
from ..schema import arrow_schema
from ..strings import safe_value

#: Output formats by file extension.
OUTPUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_SIDECAR_VERSION = 1


def output_format(path: str | os.PathLike) -> str:
    """"jsonl", "jsonl.gz", "csv" or "parquet" from the output file's extension; :class:`DataError` otherwise."""
    if Path(path).name.lower().endswith(".jsonl.gz"):
        return "jsonl.gz"
    fmt = OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise DataError(f"{path}: output must end in .jsonl, .jsonl.gz, .csv or .parquet (or be - for stdout)")
    return fmt


def partial_path(output: str | os.PathLike) -> Path:
    """The resume sidecar beside ``output``."""
    output = Path(output)
    return output.with_name(output.name + ".partial.jsonl")


def lock_path(output: str | os.PathLike) -> Path:
    """The lock file beside ``output`` (``OUTPUT.lock``)."""
    output = Path(output)
    return output.with_name(output.name + ".lock")


# ---------------------------------------------------------------------------------------------------------------
# one run per output

class OutputLock:
    """An exclusive ``fcntl.flock`` on ``OUTPUT.lock``, held for a whole batch run (a context manager).

    Two runs on one output would interleave their sidecar chunks and race to rename the output; the second now
    stops at once with :class:`OutputLockedError`. The kernel drops a flock when its holder dies (even by SIGKILL),
    so a killed run never leaves a stale lock behind: the file may stay, the lock does not.
    """

    def __init__(self, output: str | os.PathLike):
        self.output = Path(output)
        self.path = lock_path(output)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`OutputLockedError` if another run holds it (never waits)."""
        try:
            import fcntl
        except ImportError:  # not POSIX: no flock; one run per output is then the caller's to ensure
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(f"cannot create the folder of {self.output}: {_why(e)}") from None
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as e:
                raise OutputError(f"cannot create the lock file {self.path}: {_why(e)}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                holder = _read_pid(fd)
                os.close(fd)
                if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    who = f" (pid {holder})" if holder else ""
                    raise OutputLockedError(f"{self.output} is being written by another seospam batch run{who}, "
                                            f"which holds {self.path}; wait for it to finish or choose another "
                                            "-o") from None
                raise OutputError(f"cannot lock {self.path}: {_why(e)}") from None
            # The run before us may have deleted the lock file between our open and our flock; then we hold a lock
            # on a file nobody else will look at. Lock the file that is at the path now instead.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if same:
                break
            os.close(fd)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a hint for the message above (the disk may be full)
        self._fd = fd

    def release(self) -> None:
        """Delete the lock file and drop the lock (in that order: see the inode check in :meth:`acquire`)."""
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode("ascii", "replace").strip() or 0) or None
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------------------------
# atomic final output

def write_output(path: str | os.PathLike, columns: list[str], rows: Iterable[list[Any]]) -> None:
    """Write rows (lists in ``columns`` order) to ``path`` in the format its extension names, atomically.

    The rows are the sidecar's (:meth:`PartialLog.rows`), whose strings :meth:`PartialLog.append` already made
    UTF-8-safe: that is the one place output strings are escaped. Raises :class:`OutputError` if the file cannot
    be written (the temporary file is removed, ``path`` untouched).
    """
    fmt = output_format(path)
    with atomic_open(path) as fh:
        {"jsonl": _write_jsonl, "jsonl.gz": _write_jsonl_gz, "csv": _write_csv,
         "parquet": _write_parquet}[fmt](fh, columns, rows)


def _write_jsonl(fh: Any, columns: list[str], rows: Iterable[list[Any]]) -> None:
    for row in rows:
        fh.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False).encode("utf-8") + b"\n")


def _write_jsonl_gz(fh: Any, columns: list[str], rows: Iterable[list[Any]]) -> None:
    import gzip

    # mtime=0: the same rows always give the same bytes (the gzip header would otherwise hold the time).
    with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        _write_jsonl(gz, columns, rows)


def _safe_row(row: list[Any]) -> list[Any]:
    """A row whose strings UTF-8 can encode (lone surrogates escaped, in nested reasons too): every row reaches the
    sidecar through this, so no cell can make the sidecar or a final writer raise."""
    return [safe_value(v) for v in row]


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):  # reasons: a JSON cell, as CSV has no nested values
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _write_csv(fh: Any, columns: list[str], rows: Iterable[list[Any]]) -> None:
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    w = csv.writer(text)
    w.writerow(columns)
    for row in rows:
        w.writerow([_csv_cell(v) for v in row])
    text.flush()
    text.detach()  # leave fh open for the caller's fsync


def _write_parquet(fh: Any, columns: list[str], rows: Iterable[list[Any]], batch_rows: int = 8192) -> None:
    import pyarrow.parquet as pq

    schema = arrow_schema(columns)
    with pq.ParquetWriter(fh, schema) as writer:
        batch: list[list[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_batch(_arrow_batch(batch, schema))
                batch = []
        if batch:
            writer.write_batch(_arrow_batch(batch, schema))


def _arrow_batch(rows: list[list[Any]], schema: Any) -> Any:
    import pyarrow as pa

    arrays = [pa.array([r[i] for r in rows], type=f.type) for i, f in enumerate(schema)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


# ---------------------------------------------------------------------------------------------------------------
# the resume sidecar

@dataclass
class ResumeState:
    """Where an interrupted run stopped: records done, the id of the last one, the last finished part."""

    records: int = 0
    last_id: str | None = None
    part: int | None = None


class PartialLog:
    """The append-only sidecar ``OUTPUT.partial.jsonl`` of a running batch."""

    def __init__(self, output: str | os.PathLike):
        self.path = partial_path(output)
        self._fh: Any = None

    def exists(self) -> bool:
        """Whether a sidecar from an earlier run is there."""
        return self.path.exists()

    def start(self, run: dict[str, Any]) -> None:
        """Begin a new sidecar (replacing any old one) with a header describing the run."""
        self.close()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "wb")
        except OSError as e:
            raise OutputError(f"cannot write {self.path}: {_why(e)}") from None
        self._write([json.dumps({"_seospam": "header", "version": _SIDECAR_VERSION, "run": run})])

    def resume(self, run: dict[str, Any]) -> ResumeState | None:
        """Reopen the sidecar for appending after its last whole chunk; None if there is none to resume.

        Raises :class:`DataError` if it was written by a run with other inputs, options or model.
        """
        state, header, keep = self._scan()
        if header is None:
            return None
        old = header.get("run", {})
        diff = [k for k in sorted(set(old) | set(run)) if old.get(k) != run.get(k)]
        if header.get("version") != _SIDECAR_VERSION or diff:
            what = ", ".join(diff) or "format version"
            raise DataError(f"{self.path} is from a run with different {what}; rerun without --resume to start "
                            "over")
        try:
            self._fh = open(self.path, "r+b")
            self._fh.truncate(keep)  # drop an unfinished chunk (and any half-written line)
            self._fh.seek(keep)
        except OSError as e:
            raise OutputError(f"cannot write {self.path}: {_why(e)}") from None
        return state

    def _scan(self) -> tuple[ResumeState, dict | None, int]:
        """(state after the last marker, header or None, byte length up to the last marker)."""
        state = ResumeState()
        header = None
        keep = 0
        pos = 0
        last_id = None
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return state, None, 0
        with fh:
            for line in fh:
                pos += len(line)
                if not line.endswith(b"\n"):
                    break  # cut off by a kill: never counted
                if line.startswith(b"["):
                    try:
                        last_id = json.loads(line)[0]
                    except ValueError:
                        break
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    break
                if obj.get("_seospam") == "header" and header is None:
                    header, keep = obj, pos
                elif obj.get("_seospam") == "done" and header is not None:
                    state = ResumeState(int(obj["records"]), last_id, obj.get("part"))
                    keep = pos
        return state, header, keep

    def append(self, rows: list[list[Any]], records: int, part: int | None = None) -> None:
        """Append one finished chunk and its marker (``records`` done in all), then fsync."""
        lines = [json.dumps(_safe_row(r), ensure_ascii=False) for r in rows]
        marker: dict[str, Any] = {"_seospam": "done", "records": records}
        if part is not None:
            marker["part"] = part
        lines.append(json.dumps(marker))
        self._write(lines)

    def _write(self, lines: list[str]) -> None:
        try:
            self._fh.write(("\n".join(lines) + "\n").encode("utf-8"))
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as e:
            # Whatever part of this chunk reached the disk has no closing marker, so --resume drops and redoes it.
            raise OutputError(f"cannot write {self.path}: {_why(e)}; the rows finished so far are kept there: "
                              "rerun with --resume once the problem is fixed") from None

    def rows(self) -> Iterator[list[Any]]:
        """The rows of every whole chunk, in order (streamed, for writing the final output)."""
        self.close()
        pending: list[list[Any]] = []
        try:
            fh = open(self.path, "rb")
        except OSError as e:
            raise OutputError(f"cannot read {self.path}: {_why(e)}") from None
        with fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break
                if line.startswith(b"["):
                    pending.append(json.loads(line))
                elif json.loads(line).get("_seospam") == "done":
                    yield from pending
                    pending = []

    def close(self) -> None:
        """Close the file (it stays on disk)."""
        if self._fh is not None:
            fh, self._fh = self._fh, None
            try:
                fh.close()
            except OSError:
                pass  # a chunk whose write failed may still sit in the buffer; it has no marker, so it never counts

    def remove(self) -> None:
        """Delete the sidecar once the final output is in place."""
        self.close()
        try:
            self.path.unlink()
        except OSError:
            pass  # the output is complete either way; a later run without --resume replaces a leftover sidecar
