"""``--engine dask``: the same :func:`seospam.scoring.score_frame`, mapped over Dask partitions.

Inputs are cut into :class:`seospam.readers.Part` objects (blocks of JSONL lines, Parquet row groups, one WARC or
WET file each, batches of page files) and turned into a Dask DataFrame with ``dd.from_map`` over the seospam
readers, so bad records become error rows exactly as in the local engine; ``map_partitions`` then runs
``score_frame`` on each. The model the client loaded and verified travels with the tasks (Dask serialises it
once per worker); workers never open a model path, so a file swapped during the run is never read. Finished
partitions are written in order to the same sidecar as the local engine, so ``--resume`` works here too.

Dask is an optional extra (``pip install 'seospam[dask]'``) and is imported only here.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ..errors import DataError
from ..schema import pandas_dtypes
from ..readers import RECORD_KEYS, Fields, Part, plan_parts, read_part_frame

#: Uncompressed JSONL files are cut into blocks of about this size (one partition each).
JSONL_BLOCK_BYTES = 32 << 20
#: Parquet row groups per partition.
ROW_GROUPS_PER_PART = 1
#: Page files (.html/.txt) per partition.
PAGES_PER_PART = 256


def _import_dask() -> tuple[Any, Any, Any]:
    try:
        import dask
        import dask.dataframe as dd
        import distributed
    except ImportError:
        raise DataError("the dask engine needs the optional dask extra: pip install 'seospam[dask]'") from None
    return dask, dd, distributed


def input_meta() -> Any:
    """Empty frame with the partition columns the readers produce."""
    import pandas as pd

    return pd.DataFrame({k: pd.Series(dtype=bool if k == "truncated" else object) for k in RECORD_KEYS})


def output_meta(columns: list[str]) -> Any:
    """Empty frame with the dtypes :func:`score_partition` returns (text as object, as pandas 3 needs spelt out)."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in pandas_dtypes(columns).items()})


def score_partition(df: Any, model: Any, features: bool) -> Any:
    """``score_frame`` on one partition with the client's loaded model, plus the reader's truncation flag."""
    from threadpoolctl import threadpool_limits

    from ..model.scoring import score_frame

    # One OpenMP thread: Dask workers are the parallelism (see seospam.batch).
    with threadpool_limits(limits=1):
        out = score_frame(df, model, features=features)
    cut = df["truncated"].fillna(False).astype(bool).to_numpy() if "truncated" in df.columns else None
    if cut is not None and cut.any():
        scored = out["truncated"].notna().to_numpy()
        out.loc[cut & scored, "truncated"] = True
    return out.astype(output_meta(list(out.columns)).dtypes.to_dict())  # the dtypes the graph was promised


def plan(files: list[tuple[str, str]]) -> list[Part]:
    """Dask partitions for the input files, in reading order."""
    return plan_parts(files, block_bytes=JSONL_BLOCK_BYTES, pages_per_part=PAGES_PER_PART,
                      row_groups_per_part=ROW_GROUPS_PER_PART)


def run_dask(files: list[tuple[str, str]], fields: Fields, job: Any, *, model: Any, features: bool, workers: int,
             scheduler: str | None, start_part: int = 0) -> None:
    """Score every partition on a Dask cluster with ``model`` (a loaded :class:`~seospam.model.persist.Model`) and hand
    the rows to ``job.emit`` in input order."""
    dask, dd, distributed = _import_dask()
    parts = plan(files)
    todo = parts[start_part:]
    if not todo:
        return
    with dask.config.set({"dataframe.convert-string": False}):  # keep None as None, not pandas NA
        frames = dd.from_map(read_part_frame, todo, fields=fields, meta=input_meta(), enforce_metadata=False)
        scored = frames.map_partitions(score_partition, model, features,
                                       meta=output_meta(job.columns), enforce_metadata=False)
        delayed = scored.to_delayed()
    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        # The worker profiler samples task frames from the event-loop thread; a frame it still holds keeps
        # resiliparse's HTMLTree alive, and that object may only be freed on the thread that made it.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
        client = distributed.Client(cluster)
    try:
        job.bar.start()
        n_workers = len(client.scheduler_info().get("workers", {})) or workers
        _gather_in_order(client, delayed, job, start_part, window=2 * n_workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _gather_in_order(client: Any, delayed: list[Any], job: Any, first: int, window: int) -> None:
    """Compute partitions with at most ``window`` in flight and emit their rows in order."""
    pending: deque = deque()
    for i, d in enumerate(delayed):
        pending.append((first + i, client.compute(d)))
        while len(pending) >= window:
            _emit(job, *pending.popleft())
    while pending:
        _emit(job, *pending.popleft())


def _emit(job: Any, part: int, future: Any) -> None:
    df = future.result()
    job.emit(df.to_dict("records"), part)
