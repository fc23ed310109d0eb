"""``--engine dask``: the same rows as the local engine, on LocalCluster(n_workers=2, threads_per_worker=1)."""

from __future__ import annotations

import csv
import json
import multiprocessing
import subprocess
import sys

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import seospam.engines.batch as batch_mod  # noqa: E402
from seospam.engines.batch import run_batch  # noqa: E402
from seospam.engines import dask as dask_engine  # noqa: E402
from seospam.errors import DataError  # noqa: E402
from tests.helpers import as_html, corpus_texts, read_output, warc_pages, write_warc  # noqa: E402


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """JSONL with a bad line, Parquet with two row groups, a truncated WARC, CSV and a page folder."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path_factory.mktemp("dask_in")
    recs = corpus_texts(16)
    jl = d / "a.jsonl"
    lines = [json.dumps({"id": r["id"], "text": r["text"], "url": r["url"]}) for r in recs[:6]]
    lines.insert(3, "not json at all")
    lines.append(json.dumps({"id": "nothing"}))
    jl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.table({"id": [r["id"] + "-pq" for r in recs[6:10]],
                             "html": [as_html(r["title"], r["text"]) for r in recs[6:10]]}),
                   d / "b.parquet", row_group_size=2)
    warc = d / "c.warc.gz"
    write_warc(warc, warc_pages(3))
    raw = warc.read_bytes()
    warc.write_bytes(raw[: int(len(raw) * 0.75)])
    with open(d / "d.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows([[r["id"] + "-csv", r["text"]] for r in recs[10:12]])
    pages = d / "pages"
    pages.mkdir()
    for r in recs[12:16]:
        (pages / f"{r['id'].replace('/', '_').replace(':', '_')}.txt").write_text(r["text"], encoding="utf-8")
    return [jl, d / "b.parquet", warc, d / "d.csv", pages]


@pytest.fixture(scope="module")
def local_rows(inputs, tmp_path_factory):
    """The local engine's rows (this process; Dask workers run with another hash seed, so equal rows also show
    that scoring does not depend on it)."""
    out = tmp_path_factory.mktemp("local") / "o.jsonl"
    run_batch(inputs, out, workers=1, progress=False, features=True)
    return read_output(out)


@pytest.fixture(scope="module")
def cluster():
    """An external cluster for --scheduler runs (closed by the test, not by seospam)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def test_dask_local_cluster_matches_local_engine_and_shuts_down(inputs, local_rows, tmp_path):
    out = tmp_path / "o.jsonl"
    before = set(multiprocessing.active_children())  # e.g. joblib's reusable workers from an earlier test
    summary = run_batch(inputs, out, engine="dask", workers=2, progress=False, features=True)
    rows = read_output(out)
    assert rows == local_rows
    assert summary["errors"] == sum(1 for r in rows if r["error"]) >= 3
    assert set(multiprocessing.active_children()) - before == set()  # the LocalCluster it started is gone



def interrupt_after_emits(monkeypatch, n: int):
    """Make the n-th emitted chunk raise KeyboardInterrupt (after it is written); returns the real emit."""
    real_emit = batch_mod._Job.emit
    calls = {"n": 0}

    def emit_then_interrupt(self, rows, part=None):
        real_emit(self, rows, part)
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt

    monkeypatch.setattr(batch_mod._Job, "emit", emit_then_interrupt)
    return real_emit


def test_dask_scheduler_address_and_resume(inputs, local_rows, tmp_path, monkeypatch, cluster):
    # Small JSONL blocks, so there are partitions before and after the interruption.
    monkeypatch.setattr(dask_engine, "JSONL_BLOCK_BYTES", 2000)
    out = tmp_path / "o.jsonl"
    real_emit = interrupt_after_emits(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        run_batch(inputs, out, engine="dask", scheduler=cluster.scheduler_address, progress=False, features=True,
                  log=lambda m: None)
    monkeypatch.setattr(batch_mod._Job, "emit", real_emit)
    summary = run_batch(inputs, out, engine="dask", scheduler=cluster.scheduler_address, progress=False,
                        features=True, resume=True, log=lambda m: None)
    assert 0 < summary["resumed_from"] < len(local_rows)
    assert read_output(out) == local_rows
    with distributed.Client(cluster) as client:  # a cluster seospam did not start is left running
        assert client.submit(sum, [1, 2]).result() == 3


def test_local_engine_finishes_a_dask_run(inputs, local_rows, tmp_path, monkeypatch, cluster):
    monkeypatch.setattr(dask_engine, "JSONL_BLOCK_BYTES", 2000)
    out = tmp_path / "o.jsonl"
    real_emit = batch_mod._Job.emit

    def emit_then_interrupt(self, rows, part=None):
        real_emit(self, rows, part)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_mod._Job, "emit", emit_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_batch(inputs, out, engine="dask", scheduler=cluster.scheduler_address, progress=False, features=True,
                  log=lambda m: None)
    monkeypatch.setattr(batch_mod._Job, "emit", real_emit)
    summary = run_batch(inputs, out, workers=1, progress=False, features=True, resume=True, log=lambda m: None)
    rows = read_output(out)
    assert summary["resumed_from"] > 0
    assert [(r["id"], r["error"]) for r in rows] == [(r["id"], r["error"]) for r in local_rows]


def test_dask_refuses_to_resume_a_local_run(inputs, tmp_path, monkeypatch):
    from seospam.outputs.writers import PartialLog

    out = tmp_path / "o.jsonl"
    real_emit = interrupt_after_emits(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        run_batch(inputs, out, workers=1, progress=False, features=True, chunk_size=3, log=lambda m: None)
    monkeypatch.setattr(batch_mod._Job, "emit", real_emit)
    assert PartialLog(out).exists()
    with pytest.raises(DataError, match="resume it with --engine local"):
        run_batch(inputs, out, engine="dask", progress=False, features=True, resume=True, log=lambda m: None)


def test_missing_dask_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "words"}\n')
    with pytest.raises(DataError, match=r"pip install 'seospam\[dask\]'"):
        run_batch([src], tmp_path / "o.jsonl", engine="dask", progress=False, log=lambda m: None)


def test_scoring_imports_no_engine():
    code = ("import sys, seospam.model.scoring, seospam.engines.batch, seospam.readers.base; "
            "bad = [m for m in ('dask', 'distributed', 'pyspark', 'ray') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
