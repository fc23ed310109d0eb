"""Training: features → grouped cross-validation to choose the classifier → threshold at 1 % FPR → model + card."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
from sklearn.model_selection import GroupKFold

from . import __version__
from .data import read_labelled, records
from .errors import DataError, InputError
from .features import extract, feature_names
from .metrics import per_group, summary, threshold_for_fpr
from .model import KINDS, SpamClassifier, fitted_pipeline
from .page import ENV_EXTRACTOR, to_page
from .persist import save_model

#: Out-of-fold false-positive budgets for the "spam" and "suspicious" bands.
SPAM_FPR = 0.01
SUSPICIOUS_FPR = 0.05

Progress = Callable[[str, int], Any]


def _row(rec: dict[str, Any], names: list[str]) -> list[float] | str:
    try:
        fs = extract(to_page(rec), names)
    except InputError as e:
        return str(e)
    return [fs.values[n] for n in names]


def _chunk_rows(chunk: list[dict[str, Any]], names: list[str]) -> list[list[float] | str]:
    return [_row(r, names) for r in chunk]


def feature_table(recs: list[dict[str, Any]], names: list[str] | None = None, n_jobs: int = -1,
                  progress: Progress | None = None) -> tuple[np.ndarray, list[int], list[tuple[int, str]]]:
    """Feature matrix for records, in parallel; returns (X, kept row indices, [(row, error)])."""
    from joblib import Parallel, delayed

    names = names or feature_names()
    size = 64
    chunks = [recs[i:i + size] for i in range(0, len(recs), size)]
    results: list[list[float] | str] = []
    if progress:
        progress("features", 0, total=len(recs))
    par = Parallel(n_jobs=n_jobs, return_as="generator")
    for out in par(delayed(_chunk_rows)(c, names) for c in chunks):
        results.extend(out)
        if progress:
            progress("features", len(out))
    kept = [i for i, r in enumerate(results) if not isinstance(r, str)]
    errors = [(i, r) for i, r in enumerate(results) if isinstance(r, str)]
    X = np.asarray([results[i] for i in kept], dtype=np.float64).reshape(len(kept), len(names))
    return X, kept, errors


def grouped_oof(X: np.ndarray, y: np.ndarray, groups: np.ndarray, kind: str, n_splits: int = 5,
                random_state: int = 0, splitter: Any = None) -> np.ndarray:
    """Out-of-fold scores under grouped CV: no source is ever in both the training and the test fold."""
    splitter = splitter or GroupKFold(n_splits=min(n_splits, len(set(groups))))
    oof = np.full(len(y), np.nan)
    for tr, te in splitter.split(X, y, groups):
        if len(set(y[tr])) < 2:
            continue
        clf = SpamClassifier(kind=kind, random_state=random_state).fit(X[tr], y[tr])
        oof[te] = clf.predict_proba(X[te])[:, 1]
    return oof


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else
                round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}


def train(paths: Iterable[str | Path], output: str | Path, *, positives: Iterable[str | Path] = (),
          kinds: Iterable[str] = KINDS, n_splits: int = 5, n_jobs: int = -1, random_state: int = 0,
          name: str | None = None, progress: Progress | None = None, log: Callable[[str], Any] = print
          ) -> dict[str, Any]:
    """Train on labelled data and write ``output`` (joblib) with its model card; returns the card."""
    t0 = time.time()
    data, manifest = read_labelled(paths, positives)
    recs = records(data)
    names = feature_names()
    X, kept, errors = feature_table(recs, names, n_jobs=n_jobs, progress=progress)
    for i, err in errors[:10]:
        log(f"skipped unreadable record {recs[i]['id']}: {err}")
    if errors:
        log(f"skipped {len(errors)} unreadable records in all")
    y = data["label"].to_numpy()[kept]
    groups = data["group"].to_numpy()[kept]
    if len(set(y)) < 2:
        raise DataError("after skipping unreadable records, only one label is left")
    n_groups = len(set(groups))
    if n_groups < 2:
        raise DataError("grouped cross-validation needs at least two sources (a 'source' or 'group' column)")

    cv: dict[str, Any] = {"scheme": f"GroupKFold(n_splits={min(n_splits, n_groups)}) by source", "kinds": {}}
    best_kind, best_key, best_oof = None, None, None
    for kind in kinds:
        if progress:
            progress(f"cv:{kind}", 0)
        oof = grouped_oof(X, y, groups, kind, n_splits, random_state)
        ok = ~np.isnan(oof)
        t = threshold_for_fpr(oof[ok & (y == 0)], SPAM_FPR)
        summ = summary(y[ok], oof[ok], t)
        cv["kinds"][kind] = _clean(summ)
        key = (np.nan_to_num(summ["recall_at_1pct_fpr"]), np.nan_to_num(summ["roc_auc"]))
        log(f"grouped CV {kind}: ROC-AUC {summ['roc_auc']:.4f}  PR-AUC {summ['pr_auc']:.4f}  "
            f"recall@1%FPR {summ['recall_at_1pct_fpr']:.4f}")
        if best_key is None or key > best_key:
            best_kind, best_key, best_oof = kind, key, oof
    assert best_kind is not None and best_oof is not None
    ok = ~np.isnan(best_oof)
    threshold = threshold_for_fpr(best_oof[ok & (y == 0)], SPAM_FPR)
    suspicious = min(threshold, threshold_for_fpr(best_oof[ok & (y == 0)], SUSPICIOUS_FPR))
    cv["chosen"] = best_kind
    cv["chosen_by"] = "highest out-of-fold recall at 1% FPR, then ROC-AUC"
    cv["out_of_fold"] = _clean(summary(y[ok], best_oof[ok], threshold))
    table = per_group(y[ok], best_oof[ok], groups[ok], threshold)
    cv["per_source"] = [_clean(r) for r in table.to_dict("records")]

    if progress:
        progress("fit", 0)
    pipe = fitted_pipeline(X, y, best_kind, random_state)
    from importlib.metadata import version

    import joblib
    import pandas
    import sklearn

    card = {
        "name": name or Path(output).stem,
        "created_by": f"seospam {__version__}",
        "classifier": best_kind,
        "calibration": "sigmoid (Platt), 3-fold stratified, ensemble=False",
        "extractor": (f"trafilatura {version('trafilatura')} extract(markdown)"
                      if os.environ.get(ENV_EXTRACTOR) == "trafilatura" else
                      f"resiliparse {version('resiliparse')} extract_plain_text(minimal_html, main_content=False)"),
        "threshold": threshold,
        "suspicious_threshold": suspicious,
        "threshold_rule": f"out-of-fold FPR <= {SPAM_FPR:.0%} on the negatives (suspicious: <= {SUSPICIOUS_FPR:.0%})",
        "feature_names": names,
        "data": manifest,
        "trained_rows": int(len(y)), "skipped_rows": len(errors),
        "grouped_cv": cv,
        "versions": {"seospam": __version__, "scikit-learn": sklearn.__version__, "pandas": pandas.__version__,
                     "resiliparse": version("resiliparse"), "wordfreq": version("wordfreq"),
                     "numpy": np.__version__, "joblib": joblib.__version__, "python": platform.python_version()},
        "train_seconds": round(time.time() - t0, 1),
    }
    return save_model(pipe, output, card)
