"""Quality gate: grouped cross-validation on the bundled data must stay above the floors in quality_floors.json.

Every page is scored by a model that never saw its source (GroupKFold by source). Floors can only be lowered by
editing quality_floors.json, deliberately.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from seospam.data import read_labelled, records
from seospam.metrics import summary, threshold_for_fpr
from seospam.persist import load_model
from seospam.train import SPAM_FPR, feature_table, grouped_oof

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())


@pytest.fixture(scope="module")
def grouped_cv(shared):
    data, _ = read_labelled([ROOT / "data", shared / "corpora"], positives=[shared / "seeds"])
    X, kept, errors = feature_table(records(data))
    assert not errors
    y = data["label"].to_numpy()[kept]
    groups = data["group"].to_numpy()[kept]
    kind = load_model().card["classifier"]
    t = time.perf_counter()
    oof = grouped_oof(X, y, groups, kind, n_splits=5)
    print(f"\ngrouped CV ({kind}) on {len(y)} pages took {time.perf_counter() - t:.0f}s")
    files = data["file"].to_numpy()[kept]
    return y, oof, groups, files


def test_grouped_cv_metrics_above_floors(grouped_cv):
    y, oof, _, _ = grouped_cv
    t = threshold_for_fpr(oof[y == 0], SPAM_FPR)
    s = summary(y, oof, t)
    print({k: round(v, 4) for k, v in s.items() if isinstance(v, float)})
    assert s["roc_auc"] >= FLOORS["roc_auc"]
    assert s["pr_auc"] >= FLOORS["pr_auc"]
    assert s["recall_at_1pct_fpr"] >= FLOORS["recall_at_1pct_fpr"]


def test_held_out_seeds_and_real_negatives(grouped_cv):
    y, oof, groups, files = grouped_cv
    t = threshold_for_fpr(oof[y == 0], SPAM_FPR)
    seeds = groups == "seeds"
    assert seeds.sum() >= 3
    assert np.mean(oof[seeds] >= t) >= FLOORS["seeds_recall_at_threshold"]
    corpora = np.isin(files, ["nih_health_pages.jsonl", "news_reliable.jsonl"])
    fpr = np.mean(oof[corpora] >= t)
    print(f"corpora out-of-fold FPR at the threshold: {fpr:.4f} ({int((oof[corpora] >= t).sum())} pages)")
    assert fpr <= FLOORS["corpora_fpr_at_threshold_max"]


def test_style_alone_does_not_decide(grouped_cv):
    """Honest pages written in an AI-like voice (Title Case, outline echo, clichés; data/ham_j.jsonl) stay ok."""
    y, oof, _, files = grouped_cv
    t = threshold_for_fpr(oof[y == 0], SPAM_FPR)
    ai_voice = files == "ham_j.jsonl"
    assert ai_voice.sum() >= 50
    fpr = np.mean(oof[ai_voice] >= t)
    print(f"AI-voice honest pages flagged out-of-fold: {fpr:.3f}")
    assert fpr <= FLOORS["ai_voice_honest_fpr_at_threshold_max"]
