"""Readers for batch input: every format, derived ids, and bad input that becomes error records."""

from __future__ import annotations

import gzip
import io
import json
import random
from pathlib import Path

import pytest

from seospam.readers import csv as csv_reader, jsonl as jsonl_reader, warc as warc_reader
from seospam.errors import DataError, InputError
from seospam.readers import (RECORD_KEYS, Fields, ReadStats, expand_inputs, format_of, iter_records, plan_parts,
                             read_part, read_part_frame)
from tests.helpers import corpus_texts, warc_pages, write_warc

# ---------------------------------------------------------------------------------------------------------------
# fixtures written by the tests (the ones test_batch and test_dask share are in helpers.py)

def write_wet(path: Path, texts: list[tuple[str, str]]) -> list[str]:
    """Write conversion (WET) records (url, text) with warcio, gzipped; returns record ids."""
    from warcio.warcwriter import WARCWriter

    ids = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for url, text in texts:
            rec = w.create_warc_record(url, "conversion", payload=io.BytesIO(text.encode("utf-8")),
                                       warc_content_type="text/plain")
            w.write_record(rec)
            ids.append(rec.rec_headers.get_header("WARC-Record-ID"))
    return ids


def ids_of(records: list[dict]) -> list[str]:
    return [r["id"] for r in records]


# ---------------------------------------------------------------------------------------------------------------
# formats and paths

def test_format_of_extensions():
    assert format_of("a.jsonl") == format_of("a.JSONL.gz") == format_of("a.json") == "jsonl"
    assert format_of("a.csv") == "csv" and format_of("a.parquet") == "parquet"
    assert format_of("CC-MAIN-1.warc.gz") == format_of("x.warc") == "warc"
    assert format_of("CC-MAIN-1.warc.wet.gz") == format_of("x.wet") == "wet"
    assert format_of("p.htm") == format_of("p.html") == "html" and format_of("p.txt") == "text"
    assert format_of("p.pdf") is None


def test_missing_input_and_unknown_format_are_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([tmp_path / "nope.jsonl"])
    (tmp_path / "x.dat").write_text("{}\n")
    with pytest.raises(DataError, match="unknown input format"):
        expand_inputs([tmp_path / "x.dat"])
    with pytest.raises(DataError, match="unknown --format"):
        expand_inputs([tmp_path / "x.dat"], fmt="xml")


def test_format_override_reads_any_extension(tmp_path):
    (tmp_path / "x.dat").write_text('{"id": "a", "text": "Some words here."}\n')
    recs = list(iter_records([tmp_path / "x.dat"], fmt="jsonl"))
    assert ids_of(recs) == ["a"] and recs[0]["text"] == "Some words here."


# ---------------------------------------------------------------------------------------------------------------
# JSONL

def test_jsonl_records_ids_and_bad_lines(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": 7, "text": "seven"}\n'
                 'this is not json\n'
                 '\n'
                 '{"text": "no id", "url": "http://example.com/u"}\n'
                 '{"text": "no id, no url"}\n'
                 '[1, 2]\n'
                 '{"id": "h", "html": "<p>hi</p>", "text": 3}\n', encoding="utf-8")
    recs = list(iter_records([p]))
    assert ids_of(recs) == ["7", f"{p}:2", "http://example.com/u", f"{p}:5", f"{p}:6", "h"]
    assert "not JSON" in recs[1]["error"] and "not an object" in recs[4]["error"]
    assert recs[0]["error"] is None and recs[0]["text"] == "seven"
    assert recs[5]["html"] == "<p>hi</p>" and recs[5]["text"] == "3"  # scalars become strings, as in score_frame
    assert all(r["source_file"] == str(p) for r in recs)


def test_custom_field_names(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"doc": "d1", "body": "words", "link": "http://x.org/"}\n')
    (rec,) = iter_records([p], id_field="doc", text_field="body", url_field="link")
    assert (rec["id"], rec["text"], rec["url"]) == ("d1", "words", "http://x.org/")


def test_jsonl_gz_and_corrupt_gzip(tmp_path):
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"text {i}"}) + "\n" for i in range(2000))
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(gzip.compress(lines.encode()))
    assert ids_of(iter_records([good])) == [f"r{i}" for i in range(2000)]
    data = good.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    recs = list(iter_records([cut]))
    assert recs[-1]["error"] and "corrupt or truncated" in recs[-1]["error"]
    assert all(r["error"] is None for r in recs[:-1]) and len(recs) > 1
    garbage = tmp_path / "garbage.jsonl.gz"
    garbage.write_bytes(b"\x1f\x8b\x08\x00" + bytes(random.Random(0).randrange(256) for _ in range(500)))
    (rec,) = iter_records([garbage])
    assert rec["id"] == f"{garbage}:1" and rec["error"]


def test_jsonl_line_over_the_cap_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl_reader, "MAX_RECORD_BYTES", 200)
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "big", "text": "x" * 1000}) + "\n" + json.dumps({"id": "ok", "text": "y"}) + "\n")
    recs = list(iter_records([p]))
    assert ids_of(recs) == [f"{p}:1", "ok"] and "longer than 200 bytes" in recs[0]["error"]


def test_json_array_file(tmp_path):
    p = tmp_path / "a.json"
    p.write_text('[{"id": "a", "text": "t"}, {"text": "u"}, 5]')
    recs = list(iter_records([p]))
    assert ids_of(recs) == ["a", f"{p}:2", f"{p}:3"] and recs[2]["error"]


def test_jsonl_blocks_cover_every_line_once(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(500)) + "not json\n")
    whole = list(iter_records([p]))
    parts = plan_parts(expand_inputs([p]), block_bytes=300)
    assert len(parts) > 10
    assert [r for part in parts for r in read_part(part)] == whole
    assert whole[-1]["id"] == f"{p}:501"


# ---------------------------------------------------------------------------------------------------------------
# CSV

def test_csv_broken_quotes_cost_one_row_each(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text('id,text,url\n'
                 '1,"abc"def,http://a/\n'          # junk after a closing quote
                 '2,fine,\n'
                 '3,"never closed,http://c/\n'      # unclosed quote: would swallow the rest of the file
                 '4,"two\nlines",http://d/\n'      # a real multi-line field
                 '5,a,b,c\n'                        # too many fields
                 '6,last,http://f/\n', encoding="utf-8")
    recs = list(iter_records([p]))
    assert ids_of(recs) == [f"{p}:2", "2", f"{p}:4", "4", f"{p}:7", "6"]
    assert [r["error"] is None for r in recs] == [False, True, False, True, False, True]
    assert recs[3]["text"] == "two\nlines" and recs[1]["url"] is None


def test_csv_runaway_field_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_RECORD_BYTES", 500)
    p = tmp_path / "a.csv"
    rows = "".join(f"r{i},text {i}\n" for i in range(100))
    p.write_text('id,text\nbad,"unclosed\n' + rows)
    recs = list(iter_records([p]))
    assert recs[0]["error"] and ids_of(recs[1:]) == [f"r{i}" for i in range(100)]


# ---------------------------------------------------------------------------------------------------------------
# Parquet

def test_parquet_file_directory_and_row_groups(tmp_path):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "ds"
    folder.mkdir()
    t1 = pa.table({"id": ["a", None, "c"], "text": ["one", "two", None], "html": [None, None, "<p>three</p>"]})
    pq.write_table(t1, folder / "part-0.parquet", row_group_size=2)
    pd.DataFrame({"id": ["d"], "text": ["four"]}).to_parquet(folder / "part-1.parquet")
    (folder / "_SUCCESS").write_text("")
    recs = list(iter_records([folder]))
    assert ids_of(recs) == ["a", f"{folder / 'part-0.parquet'}:2", "c", "d"]
    assert recs[2]["html"] == "<p>three</p>" and recs[2]["text"] is None
    parts = plan_parts(expand_inputs([folder]), row_groups_per_part=1)
    assert len(parts) == 3 and [r for part in parts for r in read_part(part)] == recs


def test_corrupt_parquet_is_an_error_record(tmp_path):
    p = tmp_path / "bad.parquet"
    p.write_bytes(b"PAR1 this is not parquet PAR1")
    (rec,) = iter_records([p])
    assert rec["id"] == str(p) and "cannot read Parquet" in rec["error"]


# ---------------------------------------------------------------------------------------------------------------
# folders of pages

def test_page_folder(tmp_path):
    (tmp_path / "b.html").write_text("<html><body><p>Hello there.</p></body></html>")
    (tmp_path / "a.txt").write_text("Plain words.\n")
    (tmp_path / "c.htm").write_bytes(b"\x00\x01\x02\x03" * 50)
    (tmp_path / ".hidden.txt").write_text("skip me")
    (tmp_path / "notes.md").write_text("not a page kind")
    recs = list(iter_records([tmp_path]))
    assert ids_of(recs) == [str(tmp_path / n) for n in ("a.txt", "b.html", "c.htm")]
    assert recs[0]["text"] == "Plain words.\n" and recs[1]["html"].startswith("<html>")
    assert "binary" in recs[2]["error"]


# ---------------------------------------------------------------------------------------------------------------
# WARC and WET

def test_warc_html_responses(tmp_path):
    pages = warc_pages(3)
    for gz in (True, False):
        p = tmp_path / ("a.warc.gz" if gz else "a.warc")
        ids = write_warc(p, pages, gz=gz)
        stats = ReadStats()
        recs = list(read_part(plan_parts(expand_inputs([p]))[0], Fields(), stats))
        assert ids_of(recs) == ids
        assert [r["url"] for r in recs] == [u for u, _ in pages]
        assert [r["html"].encode() for r in recs] == [b for _, b in pages]
        assert all(r["error"] is None and r["text"] is None for r in recs)
        assert stats.skipped == {"not HTML": 1}


def test_warc_decodes_content_encoding_and_plain_text(tmp_path):
    pages = [("http://a/", b"<html><body><p>Zipped page.</p></body></html>"), ("http://b/", b"Just text.")]
    p = tmp_path / "a.warc.gz"
    write_warc(p, pages, content_types=["text/html", "text/plain"], encodings=["gzip", None], extras=False)
    recs = list(iter_records([p]))
    assert recs[0]["html"] == pages[0][1].decode() and recs[1]["text"] == "Just text."


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_gives_what_it_can_then_an_error(tmp_path, gz):
    pages = warc_pages(4)
    p = tmp_path / ("t.warc.gz" if gz else "t.warc")
    ids = write_warc(p, pages, gz=gz)
    data = p.read_bytes()
    p.write_bytes(data[: int(len(data) * 0.6)])
    recs = list(iter_records([p]))
    good = [r for r in recs if r["error"] is None]
    assert 1 <= len(good) < 4 and ids_of(good) == ids[: len(good)]
    assert recs[-1]["error"] and (recs[-1]["id"].startswith(str(p)) or recs[-1]["id"] in ids)


def test_warc_cut_anywhere_never_yields_half_a_page(tmp_path):
    pages = [(f"http://example.com/{i}", (f"<html><body><p>page {i} " + "words " * 40 + "</p></body></html>")
              .encode()) for i in range(3)]
    src = tmp_path / "src.warc"
    write_warc(src, pages, gz=False)
    data = src.read_bytes()
    bodies = {b.decode() for _, b in pages}
    p = tmp_path / "cut.warc"
    for cut in range(0, len(data), 5):
        p.write_bytes(data[:cut])
        recs = list(iter_records([p]))
        assert all(r["html"] in bodies for r in recs if r["error"] is None), cut


def test_corrupt_gzip_warc_is_an_error_record(tmp_path):
    p = tmp_path / "bad.warc.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip at all" * 20)
    (rec,) = iter_records([p])
    assert rec["id"] == f"{p}:1" and "corrupt" in rec["error"]
    q = tmp_path / "text.warc"
    q.write_text("hello, this is not a WARC file\n")
    (rec,) = iter_records([q])
    assert rec["error"]


def test_oversized_warc_payload_is_cut_and_flagged(tmp_path, monkeypatch):
    monkeypatch.setattr(warc_reader, "MAX_RECORD_BYTES", 1000)
    p = tmp_path / "big.warc.gz"
    write_warc(p, [("http://big/", b"<html><body><p>" + b"long " * 1000 + b"</p></body></html>")], extras=False)
    (rec,) = iter_records([p])
    assert rec["error"] is None and rec["truncated"] is True and len(rec["html"]) == 1000


def test_wet_conversion_records(tmp_path):
    texts = [(r["url"], r["text"]) for r in corpus_texts(3)]
    p = tmp_path / "a.warc.wet.gz"
    ids = write_wet(p, texts)
    recs = list(iter_records([p]))
    assert ids_of(recs) == ids and [r["text"] for r in recs] == [t for _, t in texts]
    assert all(r["html"] is None and r["error"] is None for r in recs)


def test_partition_frame_has_record_columns(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "a", "text": "t"}\nnope\n')
    df = read_part_frame(plan_parts(expand_inputs([p]))[0])
    assert list(df.columns) == RECORD_KEYS and len(df) == 2
    assert df["error"].tolist()[0] is None and df["truncated"].dtype == bool


def test_jsonl_whose_first_line_is_a_list_is_still_read_as_lines(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('[1, 2]\n{"id": "b", "text": "words"}\n')
    recs = list(iter_records([p]))
    assert ids_of(recs) == [f"{p}:1", "b"] and recs[0]["error"] and recs[1]["error"] is None
    parts = plan_parts(expand_inputs([p]), block_bytes=5)
    assert [r for part in parts for r in read_part(part)] == recs
