"""Training: pages in every layout → features and text → out-of-fold margins by writer → stacker → threshold.

Every labelled page is also seen in the layouts crawls deliver (:mod:`seospam.augment`); the variants of a page stay
in its writer's cross-validation group. Out-of-fold margins of the feature GAM and the text model, from models that
never saw the writer, fit the stacker (blend and calibration in one). The threshold is the score that keeps the
out-of-fold false-positive rate at or under 1 %.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from . import __version__
from .augment import LAYOUTS, layout_variant
from .data import read_labelled, records
from .errors import DataError, InputError
from .features import extract
from .metrics import breakdown, crossfit_thresholds, summary, threshold_for_fpr
from .model import FeatureGAM, TextModel, export, fit_stacker, model_feature_names, monotonic_cst, stack
from .page import ENV_EXTRACTOR, to_page
from .persist import save_model

#: Out-of-fold false-positive budgets for the "spam" and "suspicious" bands.
SPAM_FPR = 0.01
SUSPICIOUS_FPR = 0.05
#: Folds of the grouped cross-validation that fits the stacker and sets the threshold (groups are writers).
N_SPLITS = 5

Progress = Callable[..., Any]


@dataclass
class Table:
    """Features and texts of labelled pages in every layout: row ``i`` is ``meta.iloc[i]``."""

    X: np.ndarray
    texts: list[str]
    meta: pd.DataFrame  # id, label, group (site), file (writer), genre, layout, page (index of the record)
    errors: list[tuple[int, str]]
    names: list[str] | None = None

    @property
    def y(self) -> np.ndarray:
        """Labels."""
        return self.meta["label"].to_numpy()

    @property
    def writers(self) -> np.ndarray:
        """The cross-validation groups: one writer (data file) or real corpus each."""
        return self.meta["file"].to_numpy()

    @property
    def as_written(self) -> np.ndarray:
        """Rows of pages in the layout they were written in."""
        return (self.meta["layout"] == "as_written").to_numpy()


def _variants(rec: dict[str, Any], names: list[str], layouts: tuple[str, ...]) -> list[Any]:
    """Feature rows and texts of one record in each layout, or the error message if it cannot be read."""
    try:
        page = to_page(rec)
    except InputError as e:
        return [str(e)]
    out = []
    for layout in layouts:
        try:
            p = page if layout == "as_written" else to_page(layout_variant(rec, page, layout, str(rec.get("id"))))
        except InputError:
            p = page  # a page that is only headings has nothing to drop: it stays as written
        fs = extract(p, names)
        out.append(([fs.values[n] for n in names], p.text))
    return out


def _chunk(recs: list[dict[str, Any]], names: list[str], layouts: tuple[str, ...]) -> list[list[Any]]:
    return [_variants(r, names, layouts) for r in recs]


def feature_table(data: pd.DataFrame, names: list[str] | None = None, *, layouts: Iterable[str] = LAYOUTS,
                  n_jobs: int = -1, progress: Progress | None = None) -> Table:
    """Features and texts of every labelled record in every layout, in parallel (records in order)."""
    from joblib import Parallel, delayed

    names = names or model_feature_names()
    layouts = tuple(layouts)
    recs = records(data)
    size = 16
    chunks = [recs[i:i + size] for i in range(0, len(recs), size)]
    if progress:
        progress("features", 0, total=len(recs))
    rows, texts, meta, errors = [], [], [], []
    par = Parallel(n_jobs=n_jobs, return_as="generator")
    base = data.reset_index(drop=True)
    i = 0
    for out in par(delayed(_chunk)(c, names, layouts) for c in chunks):
        for res in out:
            if isinstance(res[0], str):
                errors.append((i, res[0]))
            else:
                for layout, (row, text) in zip(layouts, res):
                    rows.append(row)
                    texts.append(text)
                    meta.append((i, layout))
            i += 1
        if progress:
            progress("features", len(out))
    idx = [m[0] for m in meta]
    frame = base.loc[idx, ["id", "label", "group", "file", "genre"]].reset_index(drop=True)
    frame["layout"] = [m[1] for m in meta]
    frame["page"] = idx
    X = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(names))
    return Table(X, texts, frame, errors, names)


def oof_margins(table: Table, splitter: Any, *, random_state: int = 0, progress: Progress | None = None,
                text: bool = True) -> np.ndarray:
    """Out-of-fold ``[feature margin, text margin]`` per row: no writer is in both a training and a test fold.

    The text model trains on pages as written (the other layouts hold the same words) and scores every layout.
    """
    X, y, groups, written = table.X, table.y, table.writers, table.as_written
    cst = monotonic_cst(table.names) if table.names else None
    out = np.full((len(y), 2), np.nan)
    splits = list(splitter.split(X, y, groups))
    for k, (tr, te) in enumerate(splits):
        if progress:
            progress("cross-validation", 0 if k else 0, total=len(splits))
        if len(set(y[tr])) < 2:
            continue
        gam = FeatureGAM(monotonic_cst=cst, random_state=random_state).fit(X[tr], y[tr])
        out[te, 0] = gam.decision_function(X[te])
        if text:
            tr_w = tr[written[tr]]
            tm = TextModel().fit([table.texts[i] for i in tr_w], y[tr_w])
            out[te, 1] = tm.decision_function([table.texts[i] for i in te])
        else:
            out[te, 1] = 0.0
        if progress:
            progress("cross-validation", 1)
    return out


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else
                round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(r) for r in df.to_dict("records")]


def evaluate_oof(table: Table, oof: np.ndarray, threshold: float) -> dict[str, Any]:
    """Pooled metrics at ``threshold`` plus tables per writer, genre and layout (FPR and recall per writer at a
    threshold chosen on the other writers' negatives)."""
    y, writers = table.y, table.writers
    ok = ~np.isnan(oof)
    t_by_writer = crossfit_thresholds(oof[ok], y[ok], writers[ok], SPAM_FPR)
    return {
        "pooled": _clean(summary(y[ok], oof[ok], threshold)),
        "per_writer": _records(breakdown(y[ok], oof[ok], writers[ok], threshold, t_by_writer)),
        "per_genre": _records(breakdown(y[ok], oof[ok], table.meta["genre"].to_numpy()[ok], threshold)),
        "per_layout": _records(breakdown(y[ok], oof[ok], table.meta["layout"].to_numpy()[ok], threshold)),
    }


def train(paths: Iterable[str | Path], output: str | Path, *, positives: Iterable[str | Path] = (),
          n_splits: int = N_SPLITS, n_jobs: int = -1, random_state: int = 0, layouts: Iterable[str] = LAYOUTS,
          name: str | None = None, progress: Progress | None = None, log: Callable[[str], Any] = print
          ) -> dict[str, Any]:
    """Train on labelled data and write ``output`` (a ``.npz`` model) with its model card; returns the card."""
    from sklearn.model_selection import GroupKFold

    t0 = time.time()
    data, manifest = read_labelled(paths, positives)
    names = model_feature_names()
    table = feature_table(data, names, layouts=layouts, n_jobs=n_jobs, progress=progress)
    for i, err in table.errors[:10]:
        log(f"skipped unreadable record {data['id'].iloc[i]}: {err}")
    if table.errors:
        log(f"skipped {len(table.errors)} unreadable records in all")
    y, writers = table.y, table.writers
    if len(set(y)) < 2:
        raise DataError("after skipping unreadable records, only one label is left")
    n_groups = len(set(writers))
    if n_groups < 2:
        # One file: its sites (the source column) are the groups instead.
        table.meta["file"] = table.meta["group"]
        writers = table.writers
        n_groups = len(set(writers))
    if n_groups < 2:
        raise DataError("grouped cross-validation needs at least two writers (data files) or sources")

    splitter = GroupKFold(n_splits=min(n_splits, n_groups))
    margins = oof_margins(table, splitter, random_state=random_state, progress=progress)
    ok = ~np.isnan(margins).any(axis=1)
    coef = fit_stacker(margins[ok], y[ok])
    oof = np.full(len(y), np.nan)
    oof[ok] = stack(coef, margins[ok])
    threshold = threshold_for_fpr(oof[ok & (y == 0)], SPAM_FPR)
    suspicious = min(threshold, threshold_for_fpr(oof[ok & (y == 0)], SUSPICIOUS_FPR))
    report = evaluate_oof(table, oof, threshold)
    alone = {}
    for k, label in ((0, "features_only"), (1, "text_only")):
        s = margins[ok, k]
        alone[label] = _clean(summary(y[ok], s, threshold_for_fpr(s[y[ok] == 0], SPAM_FPR)))
    p = report["pooled"]
    log(f"grouped CV by writer: ROC-AUC {p['roc_auc']}  recall@1%FPR {p['recall_at_1pct_fpr']}  "
        f"(features alone {alone['features_only']['roc_auc']}, text alone {alone['text_only']['roc_auc']})")

    if progress:
        progress("fit", 0)
    cst = monotonic_cst(names)
    gam = FeatureGAM(monotonic_cst=cst, random_state=random_state).fit(table.X, y)
    written = table.as_written
    texts_w = [t for t, w in zip(table.texts, written) if w]
    tm = TextModel().fit(texts_w, y[written])
    model = export(gam, tm, coef, table.X, texts_w, names)
    from importlib.metadata import version

    import sklearn

    card = {
        "name": name or Path(output).stem,
        "created_by": f"seospam {__version__}",
        "format": "seospam-additive-1 (numpy arrays in a zip, loaded with allow_pickle=False)",
        "classifier": "stack of FeatureGAM (HistGradientBoosting, no interactions, monotone claims/stuffing/"
                      "repetition) and TextModel (TF-IDF word 1-2-grams + logistic regression)",
        "stacker": {"intercept": float(coef[0]), "features": float(coef[1]), "text": float(coef[2])},
        "monotone_up": sorted(n for n, c in zip(names, cst) if c),
        "extractor": (f"trafilatura {version('trafilatura')} extract(markdown)"
                      if os.environ.get(ENV_EXTRACTOR) == "trafilatura" else
                      f"resiliparse {version('resiliparse')} extract_plain_text(minimal_html) with boilerplate "
                      "selectors (seospam.page.BOILERPLATE_SELECTORS)"),
        "layouts": list(layouts),
        "threshold": threshold,
        "suspicious_threshold": suspicious,
        "threshold_rule": f"out-of-fold FPR <= {SPAM_FPR:.0%} on the negatives, all layouts (suspicious: <= "
                          f"{SUSPICIOUS_FPR:.0%})",
        "feature_names": names,
        "data": manifest,
        "trained_pages": int(written.sum()), "trained_rows": int(len(y)), "skipped_rows": len(table.errors),
        "grouped_cv": {"scheme": f"GroupKFold(n_splits={min(n_splits, n_groups)}) by writer (data file); every "
                                 "layout of a page in its page's fold", **report, "models_alone": alone},
        "versions": {"seospam": __version__, "scikit-learn": sklearn.__version__, "pandas": pd.__version__,
                     "resiliparse": version("resiliparse"), "wordfreq": version("wordfreq"),
                     "numpy": np.__version__, "python": platform.python_version()},
        "train_seconds": round(time.time() - t0, 1),
    }
    return save_model(model, output, card)
