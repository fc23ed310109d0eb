"""`seospam sites`: per-host roll-up of batch output, cross-page templates, the HTML view, and its errors."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seospam.cli import app
from seospam.apps.sites import canonical_url, find_templates, host_of, iter_site_rows, read_scores, reason_names, \
    site_report


runner = CliRunner()

# Two sentences the "template" site puts on every page, word for word, around text that differs.
REUSED = [
    "Our certified wellness experts recommend starting with a small dose of premium kratom every single morning.",
    "Order today and enjoy free shipping on every bottle of our natural herbal supplements nationwide.",
]
TOPICS = ["sleep", "back pain", "anxiety", "energy", "focus"]


def _template_pages() -> list[dict]:
    pages = []
    for i, topic in enumerate(TOPICS):
        body = (f"Many readers ask about {topic} and what helps with it in daily life. "
                f"This guide number {i} looks at {topic} from a different angle than the others, "
                f"with notes gathered over {i + 3} years of letters from readers about {topic}. ")
        pages.append({"id": f"tpl-{i}", "url": f"https://www.kratom-wellness.example/{topic.replace(' ', '-')}",
                      "text": body + REUSED[0] + " " + f"Some people find that {topic} improves within weeks. "
                              + REUSED[1]})
    return pages


def _batch(tmp_path: Path, records: list[dict], name: str = "pages.jsonl", out: str = "scores.csv") -> tuple[Path, Path]:
    inp = tmp_path / name
    with open(inp, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    scores = tmp_path / out
    res = runner.invoke(app, ["batch", str(inp), "-o", str(scores), "--workers", "1"])
    assert res.exit_code == 0, res.output
    return inp, scores


@pytest.fixture(scope="module")
def two_hosts(tmp_path_factory, corpus_records):
    """A batch over two hosts: the template site above, and six human-written news articles of one news site."""
    tmp = tmp_path_factory.mktemp("sites")
    news = [r for r in corpus_records if r["id"].startswith("recovery:")][:6]
    records = _template_pages() + [
        {"id": r["id"], "url": f"https://news.example/{k}", "text": r["text"]} for k, r in enumerate(news)]
    inp, scores = _batch(tmp, records)
    return tmp, inp, scores, records


def test_sites_names_the_host_that_reuses_sentences_and_the_sentences(two_hosts):
    """Acceptance: the report names the host reusing sentences, and the reused sentences, with example pages."""
    tmp, inp, scores, records = two_hosts
    out = tmp / "sites.csv"
    res = runner.invoke(app, ["sites", str(scores), "--inputs", str(inp), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = {r["host"]: r for r in iter_site_rows(out)}
    assert set(rows) == {"kratom-wellness.example", "news.example"}
    tpl, news = rows["kratom-wellness.example"], rows["news.example"]
    assert tpl["pages"] == len(TOPICS) and news["pages"] == 6
    assert tpl["templated_pages"] == len(TOPICS) and tpl["pages_with_text"] == len(TOPICS)
    sentences = {t["text"]: t for t in tpl["templates"] if t["kind"] == "sentence"}
    assert set(REUSED) <= set(sentences)
    for s in REUSED:
        assert sentences[s]["pages"] == len(TOPICS)
        assert sentences[s]["examples"] == ["tpl-0", "tpl-1", "tpl-2"]  # the first pages, in input order
    # The stock phrases inside otherwise different sentences are found as n-gram runs.
    runs = [t["text"] for t in tpl["templates"] if t["kind"] == "ngram"]
    assert any("looks at" in r or "from a different angle than the others" in r for r in runs)
    # Human-written news on one host shares no sentence.
    assert news["templates"] == [] and news["templated_pages"] == 0
    assert news["flagged"] == 0 and news["share_flagged"] == 0.0
    assert 0 <= news["mean_score"] <= news["max_score"] < 0.5
    # Rows stay in the columns' documented types, list cells as JSON.
    raw = out.read_text(encoding="utf-8").splitlines()
    assert raw[0].split(",")[:3] == ["host", "pages", "scored"]


def test_sites_stats_match_the_batch_rows(two_hosts):
    tmp, inp, scores, records = two_hosts
    out = tmp / "sites.jsonl"
    summary = site_report(scores, out, inputs=[inp])
    assert summary["hosts"] == 2 and summary["pages"] == len(records) and summary["pages_with_text"] == len(records)
    assert summary["hosts_with_templates"] == 1
    batch_rows = read_scores(scores)
    for r in iter_site_rows(out):
        mine = [b for b in batch_rows if host_of(b["url"]) == r["host"]]
        assert r["pages"] == r["scored"] == len(mine)
        assert r["flagged"] == sum(b["is_spam"] for b in mine)
        assert r["max_score"] == pytest.approx(max(b["score"] for b in mine), abs=1e-6)
        assert r["mean_score"] == pytest.approx(sum(b["score"] for b in mine) / len(mine), abs=1e-6)
        counted = {x["feature"]: x["pages"] for x in r["top_reasons"]}
        for name, n in counted.items():
            assert n == sum(name in reason_names(b) for b in mine)


def test_sites_html_view_has_a_chart_per_site_and_no_external_assets(two_hosts):
    tmp, inp, scores, _ = two_hosts
    out, page = tmp / "v.csv", tmp / "view" / "report.html"
    res = runner.invoke(app, ["sites", str(scores), "--inputs", str(inp), "-o", str(out), "--html", str(page)])
    assert res.exit_code == 0, res.output
    assert not (tmp / "v.html").exists()  # --html chose the place
    html = page.read_text(encoding="utf-8")
    imgs = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert len(imgs) == 2 and all(src.startswith("data:image/png;base64,") for src in imgs)
    assert base64.b64decode(imgs[0].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<script" not in html
    assert "kratom-wellness.example" in html and REUSED[0] in html
    # The default HTML path is beside the report.
    runner.invoke(app, ["sites", str(scores), "-o", str(tmp / "beside.csv")])
    assert (tmp / "beside.html").is_file()


def test_sites_without_inputs_still_rolls_up(two_hosts):
    tmp, _, scores, _ = two_hosts
    out = tmp / "noinputs.csv"
    res = runner.invoke(app, ["sites", str(scores), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(iter_site_rows(out))
    assert {r["host"] for r in rows} == {"kratom-wellness.example", "news.example"}
    assert all(r["templates"] == [] and r["pages_with_text"] == 0 for r in rows)
    assert "pass the batch inputs" in (tmp / "noinputs.html").read_text(encoding="utf-8")


def test_sites_parquet_scores_and_report(two_hosts):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    tmp, inp, _, _ = two_hosts
    scores = tmp / "scores.parquet"
    assert runner.invoke(app, ["batch", str(inp), "-o", str(scores), "--workers", "1"]).exit_code == 0
    out = tmp / "sites.parquet"
    res = runner.invoke(app, ["sites", str(scores), "--inputs", str(inp), "-o", str(out)])
    assert res.exit_code == 0, res.output
    table = pq.read_table(out).to_pylist()
    tpl = next(r for r in table if r["host"] == "kratom-wellness.example")
    assert tpl["pages"] == len(TOPICS)
    assert set(REUSED) <= {t["text"] for t in json.loads(tpl["templates"])}


def test_sites_missing_scores_file_is_one_line_and_exit_3(tmp_path):
    res = runner.invoke(app, ["sites", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 3
    lines = [ln for ln in res.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("seospam: error:") and "nope.csv" in lines[0]
    assert "Traceback" not in res.output
    assert not (tmp_path / "s.csv").exists()


def test_sites_data_errors_exit_2(tmp_path, two_hosts):
    _, _, scores, _ = two_hosts
    notbatch = tmp_path / "labels.csv"
    notbatch.write_text("text,label\nhello,0\n", encoding="utf-8")
    res = runner.invoke(app, ["sites", str(notbatch), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 2 and "not batch output" in res.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "score": 0.1}\nnot json\n', encoding="utf-8")
    res = runner.invoke(app, ["sites", str(broken), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    res = runner.invoke(app, ["sites", str(scores), "-o", str(tmp_path / "s.txt")])
    assert res.exit_code == 2 and ".csv, .jsonl or .parquet" in res.output
    res = runner.invoke(app, ["sites", str(scores), "-o", str(tmp_path / "s.csv"), "--min-pages", "1"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["sites", str(scores), "--inputs", str(tmp_path / "gone"), "-o",
                              str(tmp_path / "s.csv")])
    assert res.exit_code == 3 and "gone" in res.output


def test_sites_report_write_failure_keeps_the_old_report(two_hosts, tmp_path, monkeypatch):
    """A write that fails half-way leaves the previous report whole, no temporary file, and exit 2."""
    _, inp, scores, _ = two_hosts
    out = tmp_path / "s.csv"
    site_report(scores, out, inputs=[inp])
    before = out.read_bytes()
    import seospam.model.persist as persist

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persist.os, "fsync", full_disk)
    res = runner.invoke(app, ["sites", str(scores), "-o", str(out)])
    assert res.exit_code == 5 and "No space left on device" in res.output
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_hosts_from_urls_and_canonical_links():
    assert host_of("https://www.Example.com:8080/a?b") == "example.com"
    assert host_of("http://www.com/") == "www.com"  # a bare www.<tld> stays
    assert host_of("blog.example.org/x") is None and host_of(None) is None and host_of("http://[::1") is None
    assert canonical_url('<head><link rel="canonical" href="https://a.example/p"></head>') == "https://a.example/p"
    assert canonical_url("<meta content='https://b.example/q' property='og:url'>") == "https://b.example/q"
    assert canonical_url("<link rel=canonical href=/relative>") is None


def test_pages_without_url_take_the_canonical_link_or_no_host(tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    for i in range(3):
        body = " ".join(f"Paragraph {i} sentence {k} says something plain about page {i}." for k in range(3))
        (folder / f"p{i}.html").write_text(
            f'<html><head><link rel="canonical" href="https://shop.example/p{i}"><title>p{i}</title></head>'
            f"<body><article><p>{body} {REUSED[1]}</p></article></body></html>", encoding="utf-8")
    (folder / "bare.txt").write_text("A page with no address at all, written plainly by a person.",
                                     encoding="utf-8")
    scores = tmp_path / "scores.jsonl"
    assert runner.invoke(app, ["batch", str(folder), "-o", str(scores), "--workers", "1"]).exit_code == 0
    out = tmp_path / "sites.jsonl"
    assert runner.invoke(app, ["sites", str(scores), "--inputs", str(folder), "-o", str(out)]).exit_code == 0
    rows = {r["host"]: r for r in iter_site_rows(out)}
    assert set(rows) == {"shop.example", "(no url)"}
    assert rows["shop.example"]["pages"] == 3 and rows["(no url)"]["pages"] == 1
    assert [t["text"] for t in rows["shop.example"]["templates"] if t["kind"] == "sentence"] == [REUSED[1]]


def test_reason_names_reads_both_shapes():
    assert reason_names({"top_reasons": "a:+0.84;b:+0.80"}) == ["a", "b"]
    assert reason_names({"top_reasons": ""}) == [] and reason_names({"top_reasons": None}) == []
    listed = [{"feature": "a", "points": 0.8}, {"feature": "neg", "points": -0.3}]
    assert reason_names({"reasons": listed}) == ["a"]
    assert reason_names({"top_reasons": json.dumps(listed)}) == ["a"]


def test_find_templates_needs_min_pages_and_skips_runs_inside_reused_sentences():
    from seospam.inputs.edge import to_page
    from seospam.apps.sites import _page_text

    shared = "The same long sentence appears here on both pages without any change at all."
    a = _page_text({"id": "a", "text": f"First page opening words here. {shared} It ends one way."})
    b = _page_text({"id": "b", "text": f"Second page starts differently. {shared} It ends another way."})
    templates, n = find_templates([a, b])
    assert n == 2 and [t["kind"] for t in templates] == ["sentence"]  # its 8-grams are not listed again
    assert templates[0]["text"] == shared and templates[0]["examples"] == ["a", "b"]
    assert find_templates([a, b], min_pages=3) == ([], 0)
    assert find_templates([a]) == ([], 0)
    assert to_page  # the same text extraction as scoring
