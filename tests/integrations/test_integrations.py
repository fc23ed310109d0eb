"""Pipeline integrations: datatrove (a real LocalPipelineExecutor run) and Hugging Face datasets.map.

Each test skips cleanly when its framework is not installed (the ``dev`` extra installs both).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from seospam.integrations import PageScorer, top_rule


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _read_jsonl_folder(folder: Path) -> list[dict]:
    out = []
    for f in sorted(folder.glob("*.jsonl*")):
        opener = gzip.open if f.name.endswith(".gz") else open
        with opener(f, "rt", encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    return out


@pytest.fixture(scope="module")
def news_records(shared: Path) -> list[dict]:
    """Every news article of ../shared/corpora (all human-written, label 0)."""
    with open(shared / "corpora" / "news_reliable.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_page_scorer_matches_the_cli_scoring_and_survives_bad_records(seed_paths):
    from seospam.model.scoring import score

    seed_text = seed_paths[0].read_text(encoding="utf-8")
    scorer = PageScorer()
    good, empty, not_text = scorer.score_texts([seed_text, "   ", 12345])
    assert good["score"] == pytest.approx(score(seed_text)["score"], abs=1e-6)
    assert good["verdict"] == "spam" and good["is_spam"] and good["error"] is None
    assert good["reasons"] and all(r["points"] > 0 for r in good["reasons"])
    assert top_rule(good) == good["reasons"][0]["feature"]
    assert empty["error"] and empty["score"] is None and empty["verdict"] == "error"
    assert not_text["error"] and not_text["score"] is None


def test_page_scorer_threshold_override_and_pickling(seed_paths):
    import pickle

    text = seed_paths[0].read_text(encoding="utf-8")
    strict = PageScorer(threshold=1.0)
    res = strict.score_texts([text])[0]
    assert res["verdict"] != "spam" and not res["is_spam"]  # no score reaches 1.0
    strict.model  # loaded ...
    clone = pickle.loads(pickle.dumps(strict))
    assert clone._model is None  # ... but not shipped: a worker reloads it from its path
    assert clone.score_texts([text])[0]["score"] == res["score"]
    with pytest.raises(ValueError):
        PageScorer(threshold=1.5)


@pytest.mark.slow
def test_datatrove_pipeline_keeps_news_and_drops_seeds(tmp_path, news_records, seed_paths):
    """Acceptance: a datatrove pipeline with SeoSpamFilter keeps the news pages of ../shared/corpora, drops seeds."""
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from seospam.integrations.datatrove import SeoSpamFilter

    inp = tmp_path / "in"
    inp.mkdir()
    half = len(news_records) // 2
    keys = ("id", "text", "url", "publisher")
    # Three files, so that the executor's two tasks each take a share (and the filter is shipped to workers).
    _write_jsonl(inp / "news_a.jsonl", [{k: r[k] for k in keys} for r in news_records[:half]])
    _write_jsonl(inp / "news_b.jsonl", [{k: r[k] for k in keys} for r in news_records[half:]])
    seeds = [{"id": f"seed:{p.stem}", "text": p.read_text(encoding="utf-8")} for p in seed_paths]
    _write_jsonl(inp / "seeds.jsonl", seeds)

    LocalPipelineExecutor(pipeline=[
        JsonlReader(str(inp)),
        SeoSpamFilter(exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
        JsonlWriter(str(tmp_path / "kept")),
    ], tasks=3, workers=2, logging_dir=str(tmp_path / "logs")).run()

    kept = _read_jsonl_folder(tmp_path / "kept")
    dropped = _read_jsonl_folder(tmp_path / "dropped")
    assert sorted(d["id"] for d in kept) == sorted(r["id"] for r in news_records)
    assert sorted(d["id"] for d in dropped) == sorted(s["id"] for s in seeds)
    for d in kept:
        md = d["metadata"]
        assert md["seospam_verdict"] in ("ok", "suspicious") and 0 <= md["seospam_score"] < 0.5
        assert md["url"].startswith("http")  # the reader's other fields are still there
    for d in dropped:
        md = d["metadata"]
        assert md["seospam_verdict"] == "spam" and md["seospam_score"] >= 0.5
        assert md["filter_reason"] == f"seospam:{md['seospam_reasons'][0]['feature']}"
        assert all(set(r) == {"feature", "points"} for r in md["seospam_reasons"])


def test_datatrove_filter_keeps_unscorable_documents_and_honours_threshold(seed_paths):
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from seospam.integrations.datatrove import SeoSpamFilter

    text = seed_paths[0].read_text(encoding="utf-8")
    docs = [Document(text=text, id="seed"), Document(text="", id="empty")]
    default, lenient = SeoSpamFilter(), SeoSpamFilter(threshold=1.0)
    res = default.filter_batch(docs)
    assert res[0][0] is False and res[0][1].startswith("seospam:")
    assert res[1] is True and docs[1].metadata["seospam_error"]
    assert lenient.filter(Document(text=text, id="seed2")) is True
    assert default.filter(Document(text=text, id="seed3"))[0] is False


def test_hf_datasets_map_batched(seed_paths, news_records):
    datasets = pytest.importorskip("datasets")
    from seospam.integrations.hf import output_features, score_batch, score_dataset

    rows = [{"id": r["id"], "text": r["text"], "url": r["url"]} for r in news_records[:6]]
    rows += [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "url": None} for p in seed_paths]
    # Unscorable rows first: the typed features keep a first batch with no score from fixing the columns as null.
    rows.insert(0, {"id": "empty", "text": "", "url": None})
    ds = datasets.Dataset.from_list(rows)
    out = ds.map(score_batch, batched=True, batch_size=1, features=output_features(ds.features))
    assert out.num_rows == ds.num_rows
    assert set(out.column_names) >= {"seospam_score", "seospam_verdict", "seospam_is_spam", "seospam_reasons",
                                     "seospam_error"}
    by_id = {r["id"]: r for r in out}
    for r in rows[1:7]:
        assert by_id[r["id"]]["seospam_verdict"] == "ok" and not by_id[r["id"]]["seospam_is_spam"]
    for p in seed_paths:
        got = by_id[p.stem]
        assert got["seospam_is_spam"] and got["seospam_reasons"][0]["points"] > 0
    assert by_id["empty"]["seospam_error"] and by_id["empty"]["seospam_score"] is None
    # The recipe for dropping spam: a filter on the new column.
    assert out.filter(lambda r: not r["seospam_is_spam"]).num_rows == 7
    assert out["seospam_score"] == score_dataset(ds, batch_size=4)["seospam_score"]
    # Options go through fn_kwargs; a strict threshold keeps every page.
    strict = score_dataset(ds, threshold=1.0, prefix="s_")
    assert not any(strict["s_is_spam"]) and "seospam_score" not in strict.column_names
    with pytest.raises(KeyError, match="body"):
        score_batch({"id": ["x"], "text": ["y"]}, text_column="body")


def test_nemo_curator_document_filter(seed_paths, news_records):
    """NeMo Curator's own ScoreFilter stage, run on a DocumentBatch (no Ray needed for one stage)."""
    pytest.importorskip("nemo_curator")
    import pandas as pd
    from nemo_curator.stages.text.filters import ScoreFilter
    from nemo_curator.tasks import DocumentBatch

    from seospam.integrations.nemo import SeoSpamDocumentFilter

    f = SeoSpamDocumentFilter()
    seed = seed_paths[0].read_text(encoding="utf-8")
    assert f.score_document(seed) > 0.5 and not f.keep_document(f.score_document(seed))
    assert f.score_document("") != f.score_document("")  # NaN: not scored ...
    assert f.keep_document(float("nan"))  # ... is kept
    assert SeoSpamDocumentFilter(threshold=1.0).keep_document(f.score_document(seed))

    df = pd.DataFrame({"id": [r["id"] for r in news_records[:5]] + [p.stem for p in seed_paths],
                       "text": [r["text"] for r in news_records[:5]] + [p.read_text(encoding="utf-8")
                                                                      for p in seed_paths]})
    stage = ScoreFilter(f, text_field="text", score_field="seospam_score")
    stage.setup()  # loads the model (load_model), as a worker would
    out = stage.process(DocumentBatch(dataset_name="d", data=df)).to_pandas()
    assert list(out["id"]) == [r["id"] for r in news_records[:5]]
    assert (out["seospam_score"] < 0.5).all()
