"""Training and evaluation on data a user could make: a 200-row CSV, errors for bad labels, determinism."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from seospam.cli import app
from seospam.readers.labelled import read_labelled
from seospam.errors import DataError


runner = CliRunner()


@pytest.fixture(scope="module")
def user_csv(tmp_path_factory, shared):
    """200 rows like a user's own labels: spam from the project's data, negatives from ../shared (read in place)."""
    from tests.helpers import ROOT

    spam = pd.concat([pd.read_json(p, lines=True) for p in sorted((ROOT / "data").glob("spam_*.jsonl"))])
    spam = spam.sample(80, random_state=1)
    neg = pd.read_json(shared / "corpora" / "nih_health_pages.jsonl", lines=True).sample(60, random_state=1)
    news = pd.read_json(shared / "corpora" / "news_reliable.jsonl", lines=True).sample(60, random_state=1)
    rows = pd.concat([spam[["text", "html", "label", "source"]], neg[["text", "label", "source"]].assign(source="nih"),
                      news[["text", "label", "publisher"]].rename(columns={"publisher": "source"})])
    path = tmp_path_factory.mktemp("user") / "labels.csv"
    rows.to_csv(path, index=False)
    return path


def test_user_retraining_on_200_row_csv(user_csv, tmp_path, seed_paths):
    out = tmp_path / "user.npz"
    t = time.perf_counter()
    res = runner.invoke(app, ["train", str(user_csv), "-o", str(out)])
    print(f"\ntrain on 200-row CSV took {time.perf_counter() - t:.1f}s")
    assert res.exit_code == 0, res.output
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["trained_pages"] == 200 and card["sha256"]
    assert card["data"][0]["rows"] == 200
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--model", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["model"]["name"] == "user"
    batch_out = tmp_path / "scores.jsonl"
    res = runner.invoke(app, ["batch", str(user_csv), "-o", str(batch_out), "--model", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output  # every row has text or html: none may become an error row
    rows = [json.loads(line) for line in batch_out.read_text().splitlines()]
    assert len(rows) == 200 and not any(r["error"] for r in rows)


def test_evaluate_with_report(user_csv, tmp_path):
    res = runner.invoke(app, ["evaluate", str(user_csv), "--report", str(tmp_path / "rep"), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {"roc_auc", "pr_auc", "recall_at_1pct_fpr", "precision", "recall", "fpr"} <= set(data["summary"])
    assert data["per_source"]
    for name in ("index.html", "roc.png", "pr.png", "calibration.png", "scores_per_source.png", "histogram.png"):
        assert (tmp_path / "rep" / name).stat().st_size > 0
    assert "roc.png" in (tmp_path / "rep" / "index.html").read_text()


@pytest.mark.parametrize("frame,msg", [
    (pd.DataFrame({"text": ["a b c"], "source": ["x"]}), "missing column 'label'"),
    (pd.DataFrame({"text": ["a b c"], "label": [2]}), "label must be 0 or 1"),
    (pd.DataFrame({"label": [1]}), "needs a 'text' or 'html' column"),
])
def test_bad_training_data_is_a_clear_error(tmp_path, frame, msg):
    p = tmp_path / "bad.csv"
    frame.to_csv(p, index=False)
    with pytest.raises(DataError, match=msg):
        read_labelled([p])
    res = runner.invoke(app, ["train", str(p), "-o", str(tmp_path / "m.npz")])
    assert res.exit_code == 2 and msg in res.output and "Traceback" not in res.output


def test_training_is_deterministic(user_csv, tmp_path):
    """Two trainings on the same data write byte-identical model files."""
    digests = []
    for k in range(2):
        out = tmp_path / f"m{k}.npz"
        res = runner.invoke(app, ["train", str(user_csv), "-o", str(out)])
        assert res.exit_code == 0, res.output
        digests.append(json.loads(out.with_suffix(".json").read_text())["sha256"])
        assert (out.read_bytes() == (tmp_path / "m0.npz").read_bytes())
    assert digests[0] == digests[1]
