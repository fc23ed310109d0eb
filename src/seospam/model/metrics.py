"""Metrics for spam scoring: AUCs, recall at a false-positive budget, threshold choice, per-source tables."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score


def threshold_for_fpr(neg_scores: np.ndarray, max_fpr: float = 0.01) -> float:
    """Lowest threshold that keeps the share of negatives scoring at or above it ≤ ``max_fpr``."""
    neg = np.sort(np.asarray(neg_scores, dtype=float))[::-1]
    if len(neg) == 0:
        return 0.5
    k = int(np.floor(max_fpr * len(neg)))  # negatives allowed at or above the threshold
    return float(np.nextafter(neg[k], np.inf)) if k < len(neg) else float(neg[-1])


def recall_at_fpr(y: np.ndarray, s: np.ndarray, max_fpr: float = 0.01) -> float:
    """Recall of spam at the threshold that allows ``max_fpr`` false positives."""
    y, s = np.asarray(y), np.asarray(s)
    if (y == 1).sum() == 0 or (y == 0).sum() == 0:
        return float("nan")
    t = threshold_for_fpr(s[y == 0], max_fpr)
    return float((s[y == 1] >= t).mean())


def summary(y: np.ndarray, s: np.ndarray, threshold: float) -> dict[str, float]:
    """ROC-AUC, PR-AUC, recall at 1 % FPR, and precision / recall / FPR at ``threshold``."""
    y, s = np.asarray(y), np.asarray(s)
    both = (y == 1).any() and (y == 0).any()
    pred = s >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    return {
        "n": int(len(y)), "spam": int((y == 1).sum()), "not_spam": int((y == 0).sum()),
        "roc_auc": float(roc_auc_score(y, s)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, s)) if both else float("nan"),
        "recall_at_1pct_fpr": recall_at_fpr(y, s, 0.01) if both else float("nan"),
        "precision": tp / pred.sum() if pred.sum() else float("nan"),
        "recall": tp / (y == 1).sum() if (y == 1).any() else float("nan"),
        "fpr": fp / (y == 0).sum() if (y == 0).any() else float("nan"),
    }


def per_group(y: np.ndarray, s: np.ndarray, groups: np.ndarray, threshold: float,
              global_threshold_1pct: float | None = None) -> pd.DataFrame:
    """One row per source: counts, AUC against all other-source negatives/positives, recall and FPR at threshold.

    A source usually holds one class, so its AUC is computed against the pages of the other class from every
    source (how well this source's pages separate from the rest), which is what leave-one-source-out asks.
    """
    y, s, groups = np.asarray(y), np.asarray(s), np.asarray(groups)
    rows: list[dict[str, Any]] = []
    t1 = threshold_for_fpr(s[y == 0], 0.01) if global_threshold_1pct is None else global_threshold_1pct
    for g in sorted(set(groups)):
        m = groups == g
        yg, sg = y[m], s[m]
        row: dict[str, Any] = {"source": g, "n": int(m.sum()), "spam": int((yg == 1).sum()),
                               "not_spam": int((yg == 0).sum()), "mean_score": float(sg.mean())}
        # AUC of this source's pages against the other class everywhere.
        other = (y != yg[0]) if len(set(yg)) == 1 else np.zeros_like(m)
        mm = m | other
        row["auc_vs_rest"] = float(roc_auc_score(y[mm], s[mm])) if len(set(y[mm])) == 2 else float("nan")
        row["recall_at_1pct_fpr"] = float((sg[yg == 1] >= t1).mean()) if (yg == 1).any() else float("nan")
        row["recall"] = float((sg[yg == 1] >= threshold).mean()) if (yg == 1).any() else float("nan")
        row["fpr"] = float((sg[yg == 0] >= threshold).mean()) if (yg == 0).any() else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def crossfit_thresholds(s: np.ndarray, y: np.ndarray, groups: np.ndarray, max_fpr: float = 0.01
                        ) -> dict[Any, float]:
    """Per group, the ``max_fpr`` threshold chosen on the negatives of every *other* group.

    A false-positive rate reported for a group at its own threshold would be the rate the threshold was set to
    hit; chosen on the other groups' negatives, it is a held-out figure.
    """
    s, y, groups = np.asarray(s), np.asarray(y), np.asarray(groups)
    return {g: threshold_for_fpr(s[(y == 0) & (groups != g)], max_fpr) for g in sorted(set(groups))}


def breakdown(y: np.ndarray, s: np.ndarray, groups: np.ndarray, threshold: float,
              thresholds: dict[Any, float] | None = None) -> pd.DataFrame:
    """One row per group (writer, genre, layout): counts, ROC-AUC of its pages against the other class everywhere,
    recall and FPR at ``threshold`` (or at the group's own held-out threshold from ``thresholds``)."""
    y, s, groups = np.asarray(y), np.asarray(s), np.asarray(groups)
    rows: list[dict[str, Any]] = []
    for g in sorted(set(groups)):
        m = groups == g
        yg, sg = y[m], s[m]
        t = thresholds[g] if thresholds else threshold
        # This group's pages of each class against the other class's pages from every group.
        mm = m | ((y != 1) if (yg == 1).all() else (y != 0) if (yg == 0).all() else np.zeros_like(m))
        auc = float(roc_auc_score(y[mm], s[mm])) if len(set(y[mm])) == 2 else float("nan")
        rows.append({"group": g, "n": int(m.sum()), "spam": int((yg == 1).sum()), "not_spam": int((yg == 0).sum()),
                     "auc_vs_rest": auc, "threshold": t,
                     "recall": float((sg[yg == 1] >= t).mean()) if (yg == 1).any() else float("nan"),
                     "fpr": float((sg[yg == 0] >= t).mean()) if (yg == 0).any() else float("nan"),
                     "mean_score": float(sg.mean())})
    return pd.DataFrame(rows)


def confusion(y: np.ndarray, s: np.ndarray, threshold: float) -> dict[str, int]:
    """Counts at ``threshold``: true/false positives and negatives (spam is the positive class)."""
    y, pred = np.asarray(y), np.asarray(s) >= threshold
    return {"tp": int(np.sum(pred & (y == 1))), "fp": int(np.sum(pred & (y == 0))),
            "tn": int(np.sum(~pred & (y == 0))), "fn": int(np.sum(~pred & (y == 1)))}


def threshold_sweep(y: np.ndarray, s: np.ndarray, thresholds: Iterable[float]) -> pd.DataFrame:
    """One row per threshold: pages flagged, precision, recall and FPR there."""
    y, s = np.asarray(y), np.asarray(s)
    rows = []
    for t in sorted(set(float(t) for t in thresholds)):
        c = confusion(y, s, t)
        flagged = c["tp"] + c["fp"]
        rows.append({"threshold": t, "flagged": flagged,
                     "precision": c["tp"] / flagged if flagged else float("nan"),
                     "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan"),
                     "fpr": c["fp"] / (c["fp"] + c["tn"]) if c["fp"] + c["tn"] else float("nan"), **c})
    return pd.DataFrame(rows)


def calibration(y: np.ndarray, s: np.ndarray, n_bins: int = 10) -> dict[str, Any]:
    """Brier score, expected calibration error (equal-width bins) and each bin's count, mean score and spam share.

    ECE is the count-weighted mean gap between a bin's mean score and its share of spam (Naeini et al. 2015);
    the counts are given so a reader can see which bins are too thin to trust.
    """
    from sklearn.metrics import brier_score_loss

    y, s = np.asarray(y), np.clip(np.asarray(s, dtype=float), 0.0, 1.0)
    if len(y) == 0:
        return {"brier": float("nan"), "ece": float("nan"), "bins": []}
    idx = np.minimum((s * n_bins).astype(int), n_bins - 1)
    bins, ece = [], 0.0
    for b in range(n_bins):
        m = idx == b
        n = int(m.sum())
        mean, share = (float(s[m].mean()), float(y[m].mean())) if n else (float("nan"), float("nan"))
        if n:
            ece += n / len(y) * abs(mean - share)
        bins.append({"bin": f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}", "n": n, "mean_score": mean,
                     "spam_share": share})
    return {"brier": float(brier_score_loss(y, s, pos_label=1)) if len(set(y)) else float("nan"),
            "ece": float(ece), "bins": bins}


def worst_errors(frame: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Every page with its error (how far its score is on the wrong side of ``threshold``), worst first."""
    f = frame.copy()
    f["predicted"] = (f["score"] >= threshold).astype(int)
    f["wrong"] = f["predicted"] != f["label"]
    f["error"] = np.where(f["label"] == 1, 1.0 - f["score"], f["score"])
    return f.sort_values(["wrong", "error"], ascending=[False, False], kind="stable").reset_index(drop=True)
