"""``seospam batch``: one row per input record, error rows, atomic output, resume after SIGKILL, exit codes."""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import seospam.engines.batch as batch_mod
from seospam.engines.batch import run_batch
from seospam.errors import DataError
from seospam.schema import OUTPUT_COLUMNS
from tests.helpers import SHARED, as_html, corpus_texts, read_output, warc_pages, write_warc

SEOSPAM = [sys.executable, "-c", "from seospam.cli import main; main()"]


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory) -> tuple[list[Path], dict]:
    """Inputs in every format, each with good records and one bad thing; returns (paths, expectations)."""
    d = tmp_path_factory.mktemp("inputs")
    recs = corpus_texts(12)
    # JSONL: good records, a line that is not JSON, and a record with neither text nor html.
    jl = d / "pages.jsonl"
    lines = [json.dumps({"id": r["id"], "text": r["text"], "url": r["url"]}) for r in recs[:4]]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"id": "empty-record", "url": "http://example.com/empty"}))
    jl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # JSONL.gz cut in half: a corrupt gzip stream.
    gz = d / "cut.jsonl.gz"
    data = gzip.compress("".join(json.dumps({"id": f"gz{i}", "text": r["text"]}) + "\n"
                                 for i, r in enumerate(recs * 20)).encode())
    gz.write_bytes(data[: len(data) // 2])
    # CSV with a broken quote in the middle.
    cs = d / "pages.csv"
    with open(cs, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerow(["csv0", recs[4]["text"]])
    bad_line = cs.read_text(encoding="utf-8").count("\n") + 1  # texts hold newlines: rows span lines
    with open(cs, "a", encoding="utf-8") as fh:
        fh.write('csv-bad,"broken"quote\n')
    with open(cs, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["csv2", recs[5]["text"]])
    # Parquet.
    import pandas as pd

    pq = d / "pages.parquet"
    pd.DataFrame({"id": [r["id"] + "-pq" for r in recs[6:8]], "text": [r["text"] for r in recs[6:8]]}).to_parquet(pq)
    # A folder of pages, with a spam seed page from ../shared.
    folder = d / "pages"
    folder.mkdir()
    seed = sorted((SHARED / "seeds").glob("*.txt"))[0]
    (folder / "seed.txt").write_bytes(seed.read_bytes())
    (folder / "page.html").write_text(as_html(recs[8]["title"], recs[8]["text"]), encoding="utf-8")
    # A WARC that is cut off part-way.
    warc = d / "crawl.warc.gz"
    ids = write_warc(warc, warc_pages(4))
    raw = warc.read_bytes()
    warc.write_bytes(raw[: int(len(raw) * 0.7)])
    expect = {"jsonl_bad": f"{jl}:3", "empty": "empty-record", "csv_bad": f"{cs}:{bad_line}", "warc_ids": ids,
              "seed": str(folder / "seed.txt")}
    return [jl, gz, cs, pq, folder, warc], expect


@pytest.fixture(scope="module")
def mixed_run(mixed_inputs, tmp_path_factory):
    paths, expect = mixed_inputs
    out = tmp_path_factory.mktemp("out") / "scores.jsonl"
    summary = run_batch(paths, out, workers=2, progress=False, chunk_size=4)
    return read_output(out), summary, expect


def test_bad_records_get_error_rows_and_the_rest_is_scored(mixed_run):
    rows, summary, expect = mixed_run
    by_id = {r["id"]: r for r in rows}
    assert "not JSON" in by_id[expect["jsonl_bad"]]["error"]
    assert by_id[expect["empty"]]["error"] == "record has neither text nor html"
    assert "CSV row at line" in by_id[expect["csv_bad"]]["error"]
    assert by_id["csv0"]["error"] is None and by_id["csv2"]["error"] is None
    gz_rows = [r for r in rows if r["id"].startswith("gz") or "cut.jsonl.gz" in r["id"]]
    assert gz_rows[-1]["error"] and "corrupt or truncated" in gz_rows[-1]["error"]
    assert all(r["error"] is None for r in gz_rows[:-1]) and len(gz_rows) > 2
    warc_rows = [r for r in rows if r["id"] in expect["warc_ids"] or "crawl.warc.gz" in r["id"]]
    assert warc_rows[0]["error"] is None and warc_rows[-1]["error"]
    assert by_id[expect["seed"]]["is_spam"] is True  # a real spam page is flagged
    scored = [r for r in rows if r["error"] is None]
    assert all(isinstance(r["score"], float) and r["verdict"] in ("ok", "suspicious", "spam") for r in scored)
    assert all(r["score"] is None and r["verdict"] is None for r in rows if r["error"])
    assert summary["errors"] == sum(1 for r in rows if r["error"]) == 5  # one per bad input
    assert summary["records"] == len(rows) and summary["scored"] == len(scored)


def test_one_row_per_record_in_input_order(mixed_inputs, mixed_run):
    from seospam.readers import iter_records

    paths, _ = mixed_inputs
    rows, _, _ = mixed_run
    assert [r["id"] for r in rows] == [r["id"] for r in iter_records(paths)]
    assert list(rows[0]) == OUTPUT_COLUMNS


def test_cli_exit_1_when_records_errored(mixed_inputs, tmp_path):
    from seospam.cli import app

    paths, _ = mixed_inputs
    out = tmp_path / "o.csv"
    res = CliRunner().invoke(app, ["batch", *map(str, paths[:1]), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 1, res.output
    assert "errors" in res.output and out.exists()
    ok = tmp_path / "ok.jsonl"
    ok.write_text(json.dumps({"id": "a", "text": "A short page about sleep and rest."}) + "\n")
    res = CliRunner().invoke(app, ["batch", str(ok), "-o", str(tmp_path / "ok_out.jsonl"), "--workers", "1"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("args,code,msg", [
    (["missing.jsonl", "-o", "o.jsonl"], 3, "no such file"),
    (["in.jsonl", "-o", "o.txt"], 2, "must end in .jsonl, .jsonl.gz, .csv or .parquet"),
    (["in.jsonl", "-o", "o.jsonl", "--format", "xml"], 2, "unknown --format"),
    (["in.jsonl", "-o", "o.jsonl", "--engine", "spark"], 2, "unknown engine"),
    (["in.jsonl", "-o", "o.jsonl", "--model", "nope.joblib"], 4, "model file not found"),
])
def test_cli_usage_errors_are_one_line(tmp_path, monkeypatch, args, code, msg):
    from seospam.cli import app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text('{"id": "a", "text": "words"}\n')
    res = CliRunner().invoke(app, ["batch", *args])
    assert res.exit_code == code and msg in res.output and "Traceback" not in res.output


def test_output_formats_agree_and_features_add_columns(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in corpus_texts(5))
                   + '{"id": "bad"}\n')
    outs = {}
    for ext in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"o.{ext}"
        run_batch([src], out, workers=1, progress=False, features=(ext == "parquet"))
        outs[ext] = read_output(out)
    j, c, p = outs["jsonl"], outs["csv"], outs["parquet"]
    assert [r["id"] for r in j] == [r["id"] for r in c] == [r["id"] for r in p]
    assert [r["score"] for r in j] == [r["score"] for r in p]
    assert [r["score"] for r in j[:5]] == [float(r["score"]) for r in c[:5]] and c[5]["score"] == ""
    assert [r["is_spam"] for r in c[:5]] == ["true" if r["is_spam"] else "false" for r in j[:5]]
    from seospam.model.persist import load_model

    names = load_model().feature_names
    assert list(p[0]) == OUTPUT_COLUMNS + names and p[5][names[0]] is None
    assert isinstance(p[0][names[0]], float) and list(j[0]) == OUTPUT_COLUMNS


def test_output_is_atomic_when_a_run_fails(tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": f"Some text number {i}."}) + "\n" for i in range(40)))
    out = tmp_path / "o.jsonl"
    out.write_text("previous results\n")
    calls = {"n": 0}
    real_emit = batch_mod._Job.emit

    def failing_emit(self, rows, part=None):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real_emit(self, rows, part)

    monkeypatch.setattr(batch_mod._Job, "emit", failing_emit)
    with pytest.raises(KeyboardInterrupt):
        run_batch([src], out, workers=1, progress=False, chunk_size=5, log=lambda m: None)
    assert out.read_text() == "previous results\n"  # untouched until the run completes
    assert not list(tmp_path.glob(".o.jsonl.*.tmp"))
    monkeypatch.setattr(batch_mod._Job, "emit", real_emit)
    summary = run_batch([src], out, workers=1, progress=False, chunk_size=5, resume=True, log=lambda m: None)
    assert summary["resumed_from"] == 10
    assert [r["id"] for r in read_output(out)] == [f"r{i}" for i in range(40)]
    assert not (tmp_path / "o.jsonl.partial.jsonl").exists()


def test_resume_ignores_a_half_written_chunk(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": f"Text {i} here."}) + "\n" for i in range(30)))
    out = tmp_path / "o.jsonl"
    run_batch([src], out, workers=1, progress=False, chunk_size=10)
    full = read_output(out)
    # Rebuild the sidecar as a kill would leave it: two whole chunks, then part of a third and half a line.
    from seospam.outputs.writers import PartialLog

    log = PartialLog(out)
    from seospam.model.persist import load_model

    run = {"inputs": [str(src)], "format": None, "fields": ["id", "text", "html", "url"],
           "model_sha256": load_model().sha256, "threshold": load_model().threshold, "columns": OUTPUT_COLUMNS}
    log.start(run)
    as_lists = [[r[c] for c in OUTPUT_COLUMNS] for r in full]
    log.append(as_lists[:10], 10)
    log.append(as_lists[10:20], 20)
    log.close()
    with open(log.path, "a") as fh:
        fh.write(json.dumps(as_lists[20]) + "\n" + json.dumps(as_lists[21])[:15])
    out.unlink()
    summary = run_batch([src], out, workers=1, progress=False, chunk_size=10, resume=True, log=lambda m: None)
    assert summary["resumed_from"] == 20 and read_output(out) == full


def test_resume_refuses_a_sidecar_from_other_inputs(tmp_path, monkeypatch):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for p in (a, b):
        p.write_text("".join(json.dumps({"id": f"{p.stem}{i}", "text": "Words."}) + "\n" for i in range(10)))
    out = tmp_path / "o.jsonl"

    def interrupt(self, rows, part=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_mod._Job, "emit", interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_batch([a], out, workers=1, progress=False, log=lambda m: None)
    monkeypatch.undo()
    with pytest.raises(DataError, match="different inputs"):
        run_batch([b], out, workers=1, progress=False, resume=True)


def test_output_in_an_input_folder_is_not_read(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": "Words here."}) + "\n")
    out = tmp_path / "scores.jsonl"
    for _ in range(2):  # the second run must not read the first run's output
        run_batch([tmp_path], out, workers=1, progress=False)
        assert [r["id"] for r in read_output(out)] == ["a"]


def test_slow_record_times_out_without_stalling(tmp_path, monkeypatch):
    real = batch_mod.score_records
    release, woke = tmp_path / "release", tmp_path / "woke"

    def slow(records, model, **kw):
        if any(r.get("id") == "slow" and r.get("text") for r in records):  # not for its error row
            # Stuck until the test lets go (the cap only ends a run that waited for it); `woke` says it got out.
            stop = time.monotonic() + 120
            while not release.exists() and time.monotonic() < stop:
                time.sleep(0.05)
            woke.write_text("woke")
        return real(records, model, **kw)

    monkeypatch.setattr(batch_mod, "score_records", slow)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Page {i} text."}) + "\n"
                           for i in ["a", "slow", "b", "c"]))
    try:
        summary = run_batch([src], tmp_path / "o.jsonl", workers=2, progress=False, record_timeout=1.0)
        assert not woke.exists()  # the run ended while the slow record was still stuck
    finally:
        release.touch()
    rows = read_output(tmp_path / "o.jsonl")
    assert [r["id"] for r in rows] == ["a", "slow", "b", "c"]
    assert "timed out" in rows[1]["error"] and all(rows[i]["error"] is None for i in (0, 2, 3))
    assert summary["errors"] == 1


def test_a_record_that_kills_its_worker_becomes_an_error_row(tmp_path, monkeypatch):
    real = batch_mod.score_records

    def crashing(records, model, **kw):
        if any(r.get("id") == "boom" and r.get("text") for r in records):  # not for its error row
            os._exit(3)  # as a segfault or the OOM killer would
        return real(records, model, **kw)

    monkeypatch.setattr(batch_mod, "score_records", crashing)
    src = tmp_path / "in.jsonl"
    ids = [f"r{i}" for i in range(12)]
    ids.insert(7, "boom")
    src.write_text("".join(json.dumps({"id": i, "text": f"Page {i} text."}) + "\n" for i in ids))
    run_batch([src], tmp_path / "o.jsonl", workers=2, progress=False, chunk_size=3)
    rows = read_output(tmp_path / "o.jsonl")
    assert [r["id"] for r in rows] == ids
    assert "worker process died" in rows[7]["error"]
    assert all(r["error"] is None for r in rows if r["id"] != "boom")


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(1 for _ in fh)
    except FileNotFoundError:
        return 0


@pytest.mark.slow
def test_resume_after_sigkill_gives_every_id_exactly_once(tmp_path):
    n = 20_000
    words = ("kratom relief natural remedy doctors study sleep pain anxiety herbal supplement guide withdrawal "
             "symptoms dose safe").split()
    src = tmp_path / "in.jsonl"
    with open(src, "w") as fh:
        for i in range(n):
            text = " ".join(words[(i + k * 7) % len(words)] for k in range(12))
            fh.write(json.dumps({"id": f"r{i}", "text": text.capitalize() + "."}) + "\n")
    out = tmp_path / "scores.jsonl"
    sidecar = tmp_path / "scores.jsonl.partial.jsonl"
    cmd = [*SEOSPAM, "batch", str(src), "-o", str(out), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while _count_lines(sidecar) < n // 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the parent and its workers, mid-write
        proc.wait()
    assert not out.exists() and sidecar.exists()
    done_before = _count_lines(sidecar)
    assert n // 4 < done_before < n
    res = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "resuming" in res.stderr
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(ids) == n and Counter(ids).most_common(1)[0][1] == 1
    assert ids == [f"r{i}" for i in range(n)]
    assert not sidecar.exists()
