"""A numpy-only copy of a fitted gradient-boosting SpamClassifier, so scoring starts without importing scikit-learn.

Importing scikit-learn (with scipy and pandas behind it) takes most of a cold ``seospam score``. ``export`` copies
the fitted trees, the sigmoid calibration and the reference values into plain arrays; :class:`FastModel` predicts
exactly what the scikit-learn model predicts (a test checks it on real pages). Training and evaluation still use
the joblib pipeline, which stays the model of record.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FIELDS = ("feature_idx", "num_threshold", "missing_go_to_left", "left", "right", "is_leaf", "value")


def exportable(clf: Any) -> bool:
    """Whether a fitted SpamClassifier can be copied: gradient boosting, one sigmoid calibrator, no categoricals."""
    cal = getattr(clf, "calibrated_", None)
    if getattr(clf, "kind", None) != "hgb" or cal is None or len(cal.calibrated_classifiers_) != 1:
        return False
    cc = cal.calibrated_classifiers_[0]
    est = cc.estimator
    return (cc.method == "sigmoid" and len(cc.calibrators) == 1 and est.n_trees_per_iteration_ == 1
            and getattr(est, "is_categorical_", None) is None)


def export(clf: Any) -> dict[str, np.ndarray]:
    """Plain arrays for :class:`FastModel` (saved with ``np.savez``)."""
    cc = clf.calibrated_.calibrated_classifiers_[0]
    est = cc.estimator
    trees = [pred[0].nodes for pred in est._predictors]
    offsets = np.cumsum([0] + [len(t) for t in trees])
    nodes = np.concatenate(trees)
    out = {f: np.asarray(nodes[f]) for f in FIELDS}
    out.update(offsets=offsets.astype(np.int64), baseline=np.asarray(est._baseline_prediction, dtype=np.float64).ravel(),
               a=np.asarray([cc.calibrators[0].a_], dtype=np.float64),
               b=np.asarray([cc.calibrators[0].b_], dtype=np.float64),
               reference=np.asarray(clf.reference_, dtype=np.float64),
               n_features=np.asarray([clf.n_features_in_]))
    return out


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds, clipped so that probabilities of exactly 0 or 1 stay finite."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def occlusion_contributions(predict_spam: Any, X: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Per row and feature: logit(p) - logit(p with that feature alone set to ``reference``)."""
    n, f = X.shape
    base = logit(predict_spam(X))
    occluded = np.repeat(X, f, axis=0)
    idx = np.tile(np.arange(f), n)
    occluded[np.arange(n * f), idx] = reference[idx]
    return base[:, None] - logit(predict_spam(occluded)).reshape(n, f)


class FastModel:
    """Predicts calibrated spam probabilities and occlusion contributions from exported arrays."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.a = arrays
        self.offsets = arrays["offsets"]
        self.n_features_in_ = int(arrays["n_features"][0])
        self.reference_ = arrays["reference"]

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Raw boosting score: baseline plus the value of the leaf each row reaches in every tree."""
        a = self.a
        X = np.asarray(X, dtype=np.float64)
        rows = np.arange(len(X))
        raw = np.full(len(X), a["baseline"][0])
        for t in range(len(self.offsets) - 1):
            base = self.offsets[t]
            idx = np.full(len(X), base, dtype=np.int64)
            while True:
                leaf = a["is_leaf"][idx].astype(bool)
                if leaf.all():
                    break
                x = X[rows, a["feature_idx"][idx]]
                left = np.where(np.isnan(x), a["missing_go_to_left"][idx].astype(bool),
                                x <= a["num_threshold"][idx])
                nxt = base + np.where(left, a["left"][idx], a["right"][idx])
                idx = np.where(leaf, idx, nxt)
            raw += a["value"][idx]
        return raw

    def predict_spam(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of spam (scikit-learn's _SigmoidCalibration: 1 / (1 + exp(a*f + b)))."""
        f = self.decision_function(X)
        return 1.0 / (1.0 + np.exp(self.a["a"][0] * f + self.a["b"][0]))

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Same as :meth:`seospam.model.SpamClassifier.contributions`."""
        return occlusion_contributions(self.predict_spam, np.asarray(X, dtype=np.float64), self.reference_)
