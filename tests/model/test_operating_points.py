"""Operating points: --threshold, --max-fpr and named points move the threshold; the card records them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from seospam.cli import app
from seospam.errors import DataError
from seospam.model.metrics import calibration, confusion, threshold_sweep, worst_errors
from seospam.model.persist import load_model

runner = CliRunner()


def test_card_has_named_points_chosen_out_of_fold():
    m = load_model()
    points = m.operating_points
    assert set(points) >= {"filter", "review"}
    assert points["filter"]["max_fpr"] == 0.001 and points["review"]["max_fpr"] == 0.01
    # A stricter FPR can only raise the threshold; the review point is the card's default threshold.
    assert points["filter"]["threshold"] >= points["review"]["threshold"]
    assert points["review"]["threshold"] == pytest.approx(m.threshold)
    assert points["filter"]["oof_fpr"] <= 0.001 and points["review"]["oof_fpr"] <= 0.01


def test_max_fpr_picks_the_card_row_that_does_not_exceed_it():
    m = load_model()
    rows = dict((f, t) for f, t in m.card["fpr_thresholds"])
    assert m.at(max_fpr=0.001).threshold == rows[0.001]
    # Between rows, the stricter one: 0.0015 lies between 0.001 and 0.002.
    assert m.at(max_fpr=0.0015).threshold == rows[0.001]
    assert m.at(threshold=0.25).threshold == 0.25
    assert m.at(operating_point="filter").threshold == m.operating_points["filter"]["threshold"]
    assert m.at() is m
    with pytest.raises(DataError):
        m.at(max_fpr=0.00001)
    with pytest.raises(DataError):
        m.at(threshold=0.5, max_fpr=0.01)
    with pytest.raises(DataError):
        m.at(operating_point="nonesuch")


def test_score_cli_max_fpr_changes_the_threshold(seed_paths):
    m = load_model()
    base = json.loads(runner.invoke(app, ["score", str(seed_paths[0]), "--json"]).output)
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--json", "--max-fpr", "0.001"])
    assert res.exit_code == 0, res.output
    strict = json.loads(res.output)
    assert strict["threshold"] == pytest.approx(m.operating_points["filter"]["threshold"], abs=1e-6)
    assert strict["threshold"] > base["threshold"]
    assert strict["score"] == base["score"]
    high = json.loads(runner.invoke(app, ["score", str(seed_paths[0]), "--json", "--threshold", "0.9999999"]).output)
    assert high["verdict"] != "spam" or high["score"] >= 0.9999999


def test_bad_operating_point_is_one_line_exit_2(seed_paths):
    res = runner.invoke(app, ["score", str(seed_paths[0]), "--max-fpr", "2"])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0 and "max-fpr" in res.output


def test_batch_rows_use_the_chosen_threshold(tmp_path, seed_paths):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": p.name, "text": p.read_text(encoding="utf-8")}) + "\n"
                           for p in seed_paths), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--workers", "1", "--threshold", "0.9999999"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == len(seed_paths)
    assert all(r["is_spam"] == (r["score"] >= 0.9999999) for r in rows)


@pytest.mark.parametrize("command", ["score", "batch"])
def test_two_operating_point_options_are_one_line_exit_2(tmp_path, seed_paths, command):
    """--operating-point with --threshold is refused on every command, not silently resolved to one of them."""
    args = [command, str(seed_paths[0])] + (["-o", str(tmp_path / "o.jsonl")] if command == "batch" else [])
    res = runner.invoke(app, [*args, "--operating-point", "filter", "--threshold", "0.5"])
    assert res.exit_code == 2, res.output
    assert "give one of" in res.output and res.output.strip().count("\n") == 0
    assert not (tmp_path / "o.jsonl").exists()


def test_version():
    from seospam import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"seospam {__version__}"


def test_metric_helpers_on_hand_made_scores():
    y = np.array([0, 0, 0, 1, 1])
    s = np.array([0.1, 0.6, 0.2, 0.9, 0.4])
    assert confusion(y, s, 0.5) == {"tp": 1, "fp": 1, "tn": 2, "fn": 1}
    sw = threshold_sweep(y, s, [0.5, 0.95])
    assert sw["recall"].tolist() == [0.5, 0.0] and sw["fpr"].tolist() == [1 / 3, 0.0]
    cal = calibration(y, s, n_bins=2)
    assert [b["n"] for b in cal["bins"]] == [3, 2]
    # Bin 0-0.5: mean 0.233, 1 spam of 3; bin 0.5-1: mean 0.75, 1 of 2.
    assert cal["ece"] == pytest.approx(3 / 5 * abs(0.7 / 3 - 1 / 3) + 2 / 5 * abs(0.75 - 0.5))
    assert cal["brier"] == pytest.approx(np.mean((s - y) ** 2))
    import pandas as pd

    w = worst_errors(pd.DataFrame({"id": list("abcde"), "label": y, "score": s}), 0.5)
    assert w["id"].tolist()[:2] == ["b", "e"]


def test_evaluate_report_has_confusion_sweep_and_predictions(tmp_path, seed_paths, shared):
    data = tmp_path / "labels.jsonl"
    news = (shared / "corpora" / "news_reliable.jsonl").read_text(encoding="utf-8").splitlines()[:30]
    rows = [dict(json.loads(line), label=0) for line in news]
    rows += [{"id": p.name, "text": p.read_text(encoding="utf-8"), "label": 1} for p in seed_paths]
    data.write_text("".join(json.dumps({k: r[k] for k in ("id", "text", "label") if k in r}) + "\n" for r in rows))
    rep = tmp_path / "rep"
    res = runner.invoke(app, ["evaluate", str(data), "--report", str(rep), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    c = out["confusion"]
    assert c["tp"] + c["fn"] == len(seed_paths) and c["fp"] + c["tn"] == 30
    assert {b["n"] for b in out["calibration"]["bins"]} and sum(b["n"] for b in out["calibration"]["bins"]) == 33
    assert (rep / "sweep.png").exists() and (rep / "predictions.csv").exists()
    page = (rep / "index.html").read_text()
    assert "Confusion matrix" in page and "Threshold sweep" in page
