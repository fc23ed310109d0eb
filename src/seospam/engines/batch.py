"""``seospam batch``: score many pages from files, streaming, in parallel, resumable.

:func:`run_batch` reads records with :mod:`seospam.readers`, scores them in chunks with
:func:`seospam.scoring.score_records` (the local engine) or :func:`seospam.scoring.score_frame` (the Dask engine),
and appends finished chunks, in input order, to a sidecar (:class:`seospam.writers.PartialLog`); at the end the
output is written atomically from it. Every input record gives exactly one output row.

Local engine: a process pool (the model loaded once per worker by its initializer), a bounded number of chunks in
flight, rows emitted in input order. Each chunk runs under a time budget (SIGALRM); a chunk that overruns is
scored again record by record, each under ``record_timeout``, and a record that still overruns becomes an error
row. A worker that dies (crash, out of memory) is replaced and its chunk retried; a record that kills workers
twice becomes an error row.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import DataError
from ..model.persist import Model, load_model
from ..readers import Fields, ReadStats, expand_inputs, plan_parts, read_part
from ..model.scoring import score_records
from ..schema import OUTPUT_COLUMNS, plain
from ..atomic import remove_stale_temps
from ..outputs.writers import (OutputLock, PartialLog, ResumeState, lock_path, output_format, partial_path,
                               write_output)

#: Records per chunk: large enough to amortise the model's per-call cost, small enough to keep memory flat.
DEFAULT_CHUNK_SIZE = 256
#: A chunk is also closed once its records hold this many characters of text and HTML.
CHUNK_CHARS = 16_000_000
#: Seconds one record may take before it becomes an error row.
RECORD_TIMEOUT = 20.0
ENGINES = ("local", "dask")


def default_workers() -> int:
    """All the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(inputs: Iterable[str | os.PathLike], output: str | os.PathLike, *, workers: int | None = None,
              resume: bool = False, engine: str = "local", scheduler: str | None = None,
              model: Model | str | os.PathLike | None = None, features: bool = False, fmt: str | None = None,
              id_field: str = "id", text_field: str = "text", html_field: str = "html", url_field: str = "url",
              progress: bool = True, chunk_size: int = DEFAULT_CHUNK_SIZE,
              record_timeout: float | None = RECORD_TIMEOUT, log: Callable[[str], None] | None = None,
              threshold: float | None = None, max_fpr: float | None = None,
              operating_point: str | None = None) -> dict[str, Any]:
    """Score every record of ``inputs`` into ``output``; returns the summary (records, scored, flagged, errors...).

    Raises :class:`~seospam.errors.DataError` for bad options or a sidecar from another run,
    :class:`~seospam.errors.InputError` for a missing input, :class:`~seospam.errors.ModelError` for a bad model,
    and :class:`~seospam.errors.OutputError` when another run holds the output's lock or the sidecar or output
    cannot be written (the sidecar then keeps every finished chunk, for ``resume=True``).
    """
    started = time.monotonic()
    log = log or _stderr
    inputs = [str(p) for p in inputs]
    output = Path(output)
    workers = default_workers() if workers is None else workers
    _check_options(output, engine, scheduler, workers, chunk_size)
    files = _input_files(inputs, fmt, output)
    m = (model if isinstance(model, Model) else load_model(model)).at(threshold=threshold, max_fpr=max_fpr,
                                                                     operating_point=operating_point)
    columns = OUTPUT_COLUMNS + (list(m.feature_names) if features else [])
    fields = Fields(id_field, text_field, html_field, url_field)
    run = {"inputs": inputs, "format": fmt, "fields": [id_field, text_field, html_field, url_field],
           "model_sha256": m.sha256, "threshold": m.threshold, "columns": columns}
    with OutputLock(output):  # one run per output: a second one stops here, before touching the sidecar
        partial = PartialLog(output)
        state = _open_partial(partial, run, resume, output, log)
        stats = ReadStats()
        job = _Job(partial=partial, columns=columns, done=state.records, bar=_Progress(progress, state.records))
        try:
            with job.bar:
                if engine == "local":
                    records = _skip_done(_records(files, fields, stats), state.records, state.last_id)
                    _run_local(records, job, m, features, workers, chunk_size, record_timeout)
                else:
                    from .dask import run_dask

                    run_dask(files, fields, job, model=m, features=features, workers=workers, scheduler=scheduler,
                             start_part=_dask_start(state))
        except KeyboardInterrupt:
            log(f"interrupted after {job.done} records; rerun with --resume to finish")
            raise
        finally:
            partial.close()  # whatever happened, the sidecar keeps every finished chunk for --resume
        totals = _finalize(partial, output, columns)
    seconds = time.monotonic() - started
    new = job.done - state.records
    return {**totals, "resumed_from": state.records, "seconds": round(seconds, 3),
            "pages_per_second": round(new / seconds, 1) if seconds > 0 else 0.0,
            "skipped": dict(stats.skipped), "output": str(output), "workers": workers, "engine": engine}


def _check_options(output: Path, engine: str, scheduler: str | None, workers: int, chunk_size: int) -> None:
    output_format(output)
    if engine not in ENGINES:
        raise DataError(f"unknown engine {engine!r}; choose local or dask")
    if scheduler and engine != "dask":
        raise DataError("--scheduler needs --engine dask")
    if workers < 1 or chunk_size < 1:
        raise DataError("--workers and the chunk size must be at least 1")


def run_batch_to_stream(inputs: Iterable[str | os.PathLike], stream: Any, **kw: Any) -> dict[str, Any]:
    """:func:`run_batch` into JSON Lines on a binary ``stream`` (``-o -``), written once every record is scored.

    The rows go through a private sidecar and output in a temporary folder, as in a file run, so a failed run
    writes nothing to the stream; ``resume`` is refused, since there is no file to resume into.
    """
    import shutil
    import tempfile

    if kw.get("resume"):
        raise DataError("--resume needs an output file; it cannot resume into stdout (-o -)")
    with tempfile.TemporaryDirectory(prefix="seospam-stdout-") as tmp:
        out = Path(tmp) / "stdout.jsonl"
        summary = run_batch(inputs, out, **kw)
        with open(out, "rb") as fh:
            try:
                shutil.copyfileobj(fh, stream)
                stream.flush()
            except BrokenPipeError:
                pass  # the reader (head, say) stopped reading: nothing is lost that it wanted
            except OSError as e:
                from ..errors import OutputError

                raise OutputError(f"cannot write to stdout: {e.strerror or e}") from None
    summary["output"] = "stdout"
    return summary


def _stderr(msg: str) -> None:
    print(f"seospam: {msg}", file=sys.stderr)


def _input_files(inputs: list[str], fmt: str | None, output: Path) -> list[tuple[str, str]]:
    """Input files, minus the output and its sidecar (they may sit in an input folder)."""
    ours = {output.resolve(), partial_path(output).resolve(), lock_path(output).resolve()}
    files = [(p, f) for p, f in expand_inputs(inputs, fmt) if Path(p).resolve() not in ours]
    if not files:
        raise DataError(f"no input files found in {', '.join(inputs)}")
    return files


def _open_partial(partial: PartialLog, run: dict, resume: bool, output: Path, log: Callable[[str], None]
                  ) -> ResumeState:
    """The state to continue from: the sidecar's with --resume, else a fresh sidecar."""
    if resume:
        remove_stale_temps(output)
        state = partial.resume(run)
        if state is not None:
            log(f"resuming: {state.records} records already done in {partial.path}")
            return state
        log(f"nothing to resume ({partial.path} not found); starting from the beginning")
    elif partial.exists():
        log(f"starting over: {partial.path} from an interrupted run is replaced (use --resume to finish it)")
    partial.start(run)
    return ResumeState()


def _records(files: list[tuple[str, str]], fields: Fields, stats: ReadStats) -> Iterator[dict[str, Any]]:
    for part in plan_parts(files):
        yield from read_part(part, fields, stats)


def _skip_done(records: Iterator[dict[str, Any]], n: int, last_id: str | None) -> Iterator[dict[str, Any]]:
    """Skip the ``n`` records an interrupted run finished, checking the inputs still start the same way."""
    last = None
    for _ in range(n):
        last = next(records, None)
        if last is None:
            raise DataError(f"the inputs now hold fewer than the {n} records already done; rerun without --resume")
    if n and last_id is not None and str(last["id"]) != last_id:
        raise DataError(f"the inputs changed since the interrupted run (record {n} is now {last['id']!r}, was "
                        f"{last_id!r}); rerun without --resume")
    return records


def _dask_start(state: ResumeState) -> int:
    """The first Dask partition still to do."""
    if state.records and state.part is None:
        raise DataError("this run was started with --engine local; resume it with --engine local")
    return 0 if state.part is None else state.part + 1


def _finalize(partial: PartialLog, output: Path, columns: list[str]) -> dict[str, int]:
    """Write the output from the sidecar, counting as it goes; then drop the sidecar."""
    counts = {"records": 0, "scored": 0, "flagged": 0, "errors": 0}
    i_score, i_spam, i_err = columns.index("score"), columns.index("is_spam"), columns.index("error")

    def rows() -> Iterator[list[Any]]:
        for row in partial.rows():
            counts["records"] += 1
            counts["scored"] += row[i_score] is not None
            counts["flagged"] += row[i_spam] is True
            counts["errors"] += row[i_err] is not None
            yield row

    write_output(output, columns, rows())
    partial.remove()
    return counts


# ---------------------------------------------------------------------------------------------------------------
# the job: finished chunks go to the sidecar and the progress bar

@dataclass
class _Job:
    partial: PartialLog
    columns: list[str]
    done: int
    bar: "_Progress"
    flagged: int = 0
    errors: int = 0

    def emit(self, rows: list[dict[str, Any]], part: int | None = None) -> None:
        """Record one finished chunk (rows in input order)."""
        lists = [[plain(r.get(c)) for c in self.columns] for r in rows]
        self.done += len(lists)
        self.partial.append(lists, self.done, part)
        i_spam, i_err = self.columns.index("is_spam"), self.columns.index("error")
        self.flagged += sum(1 for r in lists if r[i_spam] is True)
        self.errors += sum(1 for r in lists if r[i_err] is not None)
        self.bar.update(len(lists), self.flagged, self.errors)


class _Progress:
    """A rich progress line on stderr with pages/s, shown only when stderr is a terminal."""

    def __init__(self, enabled: bool, done: int):
        self.prog = None
        self.task = None
        if not enabled:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if not console.is_terminal:
            return
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        # The total is unknown while streaming, so the bar pulses; the counts and the rate are the news.
        self.prog = Progress(SpinnerColumn(), BarColumn(bar_width=20),
                             TextColumn("scoring {task.completed:,.0f} pages"), TextColumn("{task.fields[rate]}"),
                             TextColumn("flagged {task.fields[flagged]:,}"), TextColumn("errors {task.fields[errors]:,}"),
                             TimeElapsedColumn(), console=console, transient=False)
        self.task = self.prog.add_task("batch", total=None, completed=done, rate="", flagged=0, errors=0)

    def start(self) -> None:
        """Show the bar (after worker processes are forked, so no thread is running when they are)."""
        if self.prog is not None and not self.prog.live.is_started:
            self.prog.start()

    def update(self, n: int, flagged: int, errors: int) -> None:
        """Advance by ``n`` pages."""
        if self.prog is None:
            return
        self.start()
        self.prog.advance(self.task, n)
        speed = self.prog.tasks[0].speed
        self.prog.update(self.task, flagged=flagged, errors=errors,
                         rate=f"{speed:,.0f} pages/s" if speed else "")

    def __enter__(self) -> "_Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.prog is not None and self.prog.live.is_started:
            self.prog.stop()


# ---------------------------------------------------------------------------------------------------------------
# the local engine

def _chunks(records: Iterator[dict[str, Any]], size: int, max_chars: int = CHUNK_CHARS
            ) -> Iterator[list[dict[str, Any]]]:
    """Lists of records: small at first (every worker gets work at once, even on small inputs), then ``size``."""
    chunk: list[dict[str, Any]] = []
    chars = 0
    target = min(size, 8)
    for rec in records:
        chunk.append(rec)
        chars += len(rec.get("text") or "") + len(rec.get("html") or "")
        if len(chunk) >= target or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
            target = min(size, target * 2)
    if chunk:
        yield chunk


def _run_local(records: Iterator[dict[str, Any]], job: _Job, model: Model, features: bool, workers: int,
               chunk_size: int, record_timeout: float | None) -> None:
    chunks = _chunks(records, chunk_size)
    if workers == 1:
        # In-process: no pool to fork, and one worker means one core either way.
        from threadpoolctl import threadpool_limits

        _init_worker(model, features, record_timeout, in_process=True)
        with threadpool_limits(limits=1):
            job.bar.start()
            for chunk in chunks:
                job.emit(score_chunk(chunk))
        return
    pool = _OrderedPool(workers, model, features, record_timeout)
    try:
        pool.start()
        job.bar.start()
        pool.run(chunks, job.emit)
    finally:
        pool.shutdown()


class _OrderedPool:
    """Chunks in, rows out in input order, at most ``2 * workers`` chunks in flight; survives dying workers."""

    def __init__(self, workers: int, model: Model, features: bool, record_timeout: float | None):
        import multiprocessing as mp

        self.workers = workers
        # fork shares the loaded model with every worker at no cost; elsewhere fork is unsafe, so spawn.
        self.ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self.model, self.features = model, features
        self.initargs = (model, features, record_timeout)
        self.executor: Any = None

    def start(self) -> None:
        """Start the workers and wait until each has loaded the model."""
        from concurrent.futures import ProcessPoolExecutor

        if self.ctx.get_start_method() == "fork":
            _warm_up()  # lexicons and word tables load once here, and every forked worker shares them

        self.executor = ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=_init_worker,
                                            initargs=self.initargs)
        for f in [self.executor.submit(_ping) for _ in range(self.workers)]:
            f.result()

    def shutdown(self) -> None:
        """Stop the workers (pending chunks are dropped: they are redone on --resume)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def _restart(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.start()

    def run(self, chunks: Iterator[list[dict[str, Any]]], emit: Callable[[list[dict[str, Any]]], None]) -> None:
        """Score every chunk and pass its rows to ``emit`` in input order."""
        pending: deque[_Pending] = deque()
        for chunk in chunks:
            pending.append(_Pending(chunk, self._submit(chunk)))
            while len(pending) >= 2 * self.workers:
                emit(self._next(pending))
        while pending:
            emit(self._next(pending))

    def _next(self, pending: "deque[_Pending]") -> list[dict[str, Any]]:
        from concurrent.futures.process import BrokenProcessPool

        head = pending[0]
        while True:
            try:
                rows = head.future.result()
                pending.popleft()
                return rows
            except BrokenProcessPool:
                # Every chunk in flight died with the pool; the one at the head is retried, and if it breaks
                # the pool again, it is scored record by record to find the record that does it.
                self._restart()
                head.attempts += 1
                if head.attempts >= 2:
                    pending.popleft()
                    rows = self._isolate(head.chunk)
                    self._resubmit(pending)
                    return rows
                self._resubmit(pending)

    def _submit(self, chunk: list[dict[str, Any]]) -> Any:
        """Submit a chunk; if the pool already broke (a worker died meanwhile), a future that says so."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(score_chunk, chunk)
        except BrokenProcessPool as e:
            failed: Future = Future()
            failed.set_exception(e)
            return failed

    def _resubmit(self, pending: "deque[_Pending]") -> None:
        for p in pending:
            p.future = self._submit(p.chunk)

    def _isolate(self, chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from concurrent.futures.process import BrokenProcessPool

        rows = []
        for rec in chunk:
            try:
                rows.extend(self._submit([rec]).result())
            except BrokenProcessPool:
                self._restart()
                rows.extend(error_rows([rec], "the worker process died while scoring this record (crash or out "
                                       "of memory)", self.model, self.features))
        return rows


@dataclass
class _Pending:
    chunk: list[dict[str, Any]]
    future: Any
    attempts: int = 0


# ---------------------------------------------------------------------------------------------------------------
# worker side

class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so that the scorer's per-record ``except Exception`` lets it through."""


@dataclass
class _WorkerState:
    model: Any = None
    features: bool = False
    timeout: float | None = None
    per_record: float = 0.02  # running mean of seconds per record, for the chunk's time budget
    limits: Any = field(default=None, repr=False)


_W = _WorkerState()


def _init_worker(model: Model, features: bool, record_timeout: float | None, in_process: bool = False) -> None:
    """Per-process setup: the model (loaded once), one OpenMP thread, and dying with the parent."""
    _W.model, _W.features, _W.timeout = model, features, record_timeout
    if in_process:
        return
    import gc

    from threadpoolctl import threadpool_limits

    # Workers are the parallelism: an OpenMP or BLAS team per worker only contends for the same cores. The
    # environment covers a runtime this worker loads later (threadpool_limits sees only the loaded ones: issue 10
    # measured two workers running four threads on two cores because of that).
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    _W.limits = threadpool_limits(limits=1)
    # The model and lexicons live as long as the worker: keep them out of every cyclic-GC pass (issue 10: the
    # collector took 8 % of scoring time).
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the parent dies (e.g. SIGKILL), so no orphan keeps scoring."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _ping() -> bool:
    return True


def _warm_up() -> None:
    """Load what feature extraction loads lazily (no model call: OpenMP must not start before a fork)."""
    from ..features import extract
    from ..inputs.edge import to_page

    extract(to_page("<html><body><h1>Warm up</h1><p>A page to load the word lists. Buy now!</p></body></html>"))


def score_chunk(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Score one chunk in a worker, under a time budget; on overrun, record by record with ``record_timeout``."""
    start = time.monotonic()
    budget = None if not _W.timeout else _W.timeout + 3 * len(records) * _W.per_record
    try:
        with _deadline(budget):
            rows = _score(records)
    except _Timeout:
        return [_score_one(rec) for rec in records]
    _W.per_record = 0.8 * _W.per_record + 0.2 * (time.monotonic() - start) / max(1, len(records))
    return rows


def _score_one(rec: dict[str, Any]) -> dict[str, Any]:
    try:
        with _deadline(_W.timeout):
            return _score([rec])[0]
    except _Timeout:
        return error_rows([rec], f"timed out: scoring took longer than {_W.timeout:g} s", _W.model, _W.features)[0]


def _score(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = score_records(records, _W.model, with_features=_W.features)
    for rec, row in zip(records, rows):
        if rec.get("truncated") and row.get("truncated") is not None:
            row["truncated"] = True  # the reader cut an oversized record
    return rows


def error_rows(records: list[dict[str, Any]], message: str, model: Model, features: bool) -> list[dict[str, Any]]:
    """Error rows for records, in the scorer's own row shape (nothing is scored)."""
    return score_records([{"id": r.get("id"), "url": r.get("url"), "error": message} for r in records], model,
                         with_features=features)


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_Timeout` in this block after ``seconds`` (main thread with SIGALRM only; else no limit)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
