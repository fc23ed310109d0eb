"""Issue 10, scaling: the batch workers are the parallelism, so every native thread pool inside one (OpenBLAS,
OpenMP, MKL) runs one thread, even after the model has scored (when lazily loaded runtimes have started)."""

from __future__ import annotations

import os

import pytest

from seospam.engines import batch
from seospam.model.persist import load_model

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2,
                                reason="on one core every pool has one thread anyway: the test could not fail")


def _pools_after_scoring() -> list[tuple[str, int]]:
    """Run in a worker: score a page with the worker's model, then report each native pool and its threads."""
    from threadpoolctl import threadpool_info

    batch.score_chunk([{"id": "a", "text": "Kratom is safe and effective. Studies show it cures anxiety."}])
    return [(p["internal_api"], p["num_threads"]) for p in threadpool_info()]


def test_pool_workers_run_one_thread_per_native_pool():
    pool = batch._OrderedPool(2, load_model(), False, None)
    try:
        pool.start()
        reports = [f.result(timeout=120) for f in [pool.executor.submit(_pools_after_scoring) for _ in range(4)]]
    finally:
        pool.shutdown()
    for pools in reports:
        assert pools, "no native thread pool found in the worker (numpy's BLAS should be one)"
        assert all(n == 1 for _, n in pools), pools


def test_in_process_scoring_runs_one_thread_per_native_pool(tmp_path, monkeypatch):
    """workers=1 scores in this process, inside threadpool_limits(1): a pool seen during scoring has one thread."""
    from threadpoolctl import threadpool_info

    seen: list[list[tuple[str, int]]] = []
    real = batch.score_chunk

    def spy(records):
        rows = real(records)
        seen.append([(p["internal_api"], p["num_threads"]) for p in threadpool_info()])
        return rows

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Kratom is safe and effective. Studies show it cures anxiety."}\n')
    monkeypatch.setattr(batch, "score_chunk", spy)
    batch.run_batch([str(src)], str(tmp_path / "out.jsonl"), workers=1, progress=False)
    assert seen and all(n == 1 for pools in seen for _, n in pools), seen
