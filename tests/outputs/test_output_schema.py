"""Issue 13, part 6: stable batch output: every row names its schema, model and threshold; reasons are objects;
``-o -`` writes JSON Lines to stdout; ``.jsonl.gz`` is compressed."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from seospam.model.persist import load_model
from seospam.schema import OUTPUT_COLUMNS, SCHEMA_VERSION

SEOSPAM = [sys.executable, "-c", "from seospam.cli import main; main()"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, seed_paths) -> Path:
    """Two seeds, one honest page and one broken record, as JSONL."""
    d = tmp_path_factory.mktemp("schema")
    honest = ("Our village hall hosts a repair cafe on the first Saturday of each month. Bring a lamp, a toaster or "
              "a torn coat and a volunteer will show you how to mend it. Tea is free and the cake costs a pound.")
    lines = [json.dumps({"id": f"seed{i}", "text": p.read_text(encoding="utf-8")}) for i, p in enumerate(seed_paths[:2])]
    lines += [json.dumps({"id": "honest", "text": honest}), "{not json"]
    p = d / "in.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SEOSPAM, "batch", *args], capture_output=True, timeout=300)


def test_every_row_names_schema_model_and_threshold(inputs, tmp_path):
    out = tmp_path / "o.jsonl"
    proc = _run(str(inputs), "-o", str(out), "--operating-point", "filter")
    assert proc.returncode == 1, proc.stderr  # the broken line is an error row
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    m = load_model()
    assert len(rows) == 4 and list(rows[0]) == OUTPUT_COLUMNS
    for r in rows:  # error rows too
        assert r["schema_version"] == SCHEMA_VERSION
        assert r["model_sha256"] == m.sha256
        assert r["threshold"] == pytest.approx(m.operating_points["filter"]["threshold"], abs=1e-6)
    scored = [r for r in rows if r["error"] is None]
    assert all(r["lang"] == "en" for r in scored)
    seed = rows[0]
    assert isinstance(seed["reasons"], list) and seed["reasons"]
    assert set(seed["reasons"][0]) == {"feature", "points", "description"}
    # The structured reasons are the string's reasons, in the same order.
    assert [x["feature"] for x in seed["reasons"]] == [t.split(":")[0] for t in seed["top_reasons"].split(";")]
    assert all(x["points"] > 0 for x in seed["reasons"])
    broken = [r for r in rows if r["error"]][0]
    assert broken["reasons"] is None and broken["lang"] is None


def test_parquet_reasons_are_a_list_of_structs(inputs, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "o.parquet"
    assert _run(str(inputs), "-o", str(out)).returncode == 1
    t = pq.read_table(out)
    typ = t.schema.field("reasons").type
    assert pa.types.is_list(typ) and pa.types.is_struct(typ.value_type)
    assert {typ.value_type.field(i).name for i in range(typ.value_type.num_fields)} == {"feature", "points",
                                                                                       "description"}
    assert t.schema.field("schema_version").type == pa.int32()
    assert t.column("reasons").to_pylist()[0][0]["points"] > 0


def test_csv_reasons_are_a_json_cell(inputs, tmp_path):
    import csv

    out = tmp_path / "o.csv"
    assert _run(str(inputs), "-o", str(out)).returncode == 1
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert json.loads(rows[0]["reasons"])[0]["feature"]
    assert rows[0]["schema_version"] == str(SCHEMA_VERSION)


def test_stdout_output_matches_a_file_run(inputs, tmp_path):
    out = tmp_path / "o.jsonl"
    _run(str(inputs), "-o", str(out))
    proc = _run(str(inputs), "-o", "-")
    assert proc.returncode == 1
    assert proc.stdout == out.read_bytes()
    assert b"-> stdout" in proc.stderr and b"Traceback" not in proc.stderr


def test_stdout_output_refuses_resume(inputs):
    proc = _run(str(inputs), "-o", "-", "--resume")
    assert proc.returncode == 2 and b"--resume needs an output file" in proc.stderr
    assert proc.stdout == b""


def test_jsonl_gz_is_compressed(inputs, tmp_path):
    plain, packed = tmp_path / "o.jsonl", tmp_path / "o.jsonl.gz"
    _run(str(inputs), "-o", str(plain))
    assert _run(str(inputs), "-o", str(packed)).returncode == 1
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
