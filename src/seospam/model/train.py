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

from .. import __version__
from .augment import LAYOUTS, layout_variant
from ..readers.labelled import read_labelled, records
from ..errors import DataError, InputError
from ..features import extract, spec
from .metrics import breakdown, crossfit_thresholds, summary, threshold_for_fpr
from .pipeline import (FeatureGAM, TextModel, export, feature_row, fit_stacker, model_feature_names, monotonic_cst,
                       stack)
from ..inputs.edge import to_page
from ..inputs.html import ENV_EXTRACTOR
from .persist import save_model

#: Out-of-fold false-positive budgets for the "spam" and "suspicious" bands.
SPAM_FPR = 0.01
SUSPICIOUS_FPR = 0.05
#: Named operating points written to the card: a crawl filter wants few false positives, a review queue recall.
OPERATING_POINTS = {"filter": 0.001, "review": SPAM_FPR}
#: False-positive rates tabulated in the card for ``--max-fpr`` (thresholds in between are not interpolated).
FPR_GRID = (0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2,
            0.3, 0.5)
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

    @property
    def text_rows(self) -> np.ndarray:
        """Rows the text model trains on: the layouts whose words differ (the others only re-case or re-wrap).

        Dropping headings and bullets removes words (an NIH page's "talk to your doctor" bullets), so that layout
        is trained on too; without it, such pages drifted towards spam (FPR 1.5 % against 0.9 % as written).
        """
        return self.meta["layout"].isin(TEXT_LAYOUTS).to_numpy()


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
        out.append((feature_row(fs, names), p.text))
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


#: Layouts the text model is fitted on (see :attr:`Table.text_rows`).
TEXT_LAYOUTS = ("as_written", "no_headings")
#: Inner folds for the feature margins that the text model is fitted beside (see :func:`feature_offsets`).
INNER_SPLITS = 3


def operating_points(neg: np.ndarray, pos: np.ndarray) -> dict[str, dict[str, float]]:
    """Each named point's threshold, chosen on out-of-fold negatives, with the recall it gave out of fold."""
    out = {}
    for name, fpr in OPERATING_POINTS.items():
        t = threshold_for_fpr(neg, fpr)
        out[name] = {"max_fpr": fpr, "threshold": t, "oof_fpr": float(np.mean(neg >= t)),
                     "oof_recall": float(np.mean(pos >= t)) if len(pos) else float("nan")}
    return out


def feature_offsets(table: Table, rows: np.ndarray, *, random_state: int = 0) -> np.ndarray:
    """Out-of-fold feature-model margins for ``rows``, from GAMs fitted on the other writers among ``rows``.

    The text model is fitted beside these margins, so they must not come from a GAM that saw the page: in-sample
    margins are overconfident and would leave the n-grams too little to learn.
    """
    from sklearn.model_selection import GroupKFold

    X, y, groups = table.X[rows], table.y[rows], table.writers[rows]
    cst = monotonic_cst(table.names) if table.names else None
    out = np.zeros(len(rows))
    n = len(set(groups))
    if n < 2:
        return out
    for tr, te in GroupKFold(n_splits=min(INNER_SPLITS, n)).split(X, y, groups):
        if len(set(y[tr])) < 2:
            continue
        out[te] = FeatureGAM(monotonic_cst=cst, random_state=random_state).fit(X[tr], y[tr]).decision_function(X[te])
    return out


def fit_text(table: Table, rows: np.ndarray, offsets: np.ndarray | None) -> TextModel:
    """The text model on the :attr:`Table.text_rows` among ``rows``, fitted beside their feature ``offsets``."""
    keep = table.text_rows[rows]
    w = rows[keep]
    off = None if offsets is None else offsets[keep]
    return TextModel().fit([table.texts[i] for i in w], table.y[w], offset=off)


def oof_margins(table: Table, splitter: Any, *, random_state: int = 0, progress: Progress | None = None,
                text: bool = True, residual: bool = True) -> np.ndarray:
    """Out-of-fold ``[feature margin, text margin]`` per row: no writer is in both a training and a test fold.

    The text model trains on pages as written and without headings (the other layouts hold the same words) and
    scores every layout.
    With ``residual`` it is fitted beside the feature model's margins, so its n-grams carry only what the named
    features miss, and the named rules stay the reasons wherever they explain a page.
    """
    X, y, groups = table.X, table.y, table.writers
    cst = monotonic_cst(table.names) if table.names else None
    out = np.full((len(y), 2), np.nan)
    splits = list(splitter.split(X, y, groups))
    if progress:
        progress("cross-validation", 0, total=len(splits))
    for tr, te in splits:
        if len(set(y[tr])) < 2:
            continue
        gam = FeatureGAM(monotonic_cst=cst, random_state=random_state).fit(X[tr], y[tr])
        out[te, 0] = gam.decision_function(X[te])
        if text:
            off = feature_offsets(table, tr, random_state=random_state) if residual else None
            out[te, 1] = fit_text(table, tr, off).decision_function([table.texts[i] for i in te])
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
    texts_w = [t for t, w in zip(table.texts, table.text_rows) if w]
    # The final text model is fitted beside the feature margins that were out of fold for every page.
    tm = fit_text(table, np.arange(len(y)), np.nan_to_num(margins[:, 0]))
    model = export(gam, tm, coef, table.X, texts_w, names)
    from importlib.metadata import version

    import sklearn

    card = {
        "name": name or Path(output).stem,
        "created_by": f"seospam {__version__}",
        "format": "seospam-additive-1 (numpy arrays in a zip, loaded with allow_pickle=False)",
        "classifier": "stack of FeatureGAM (HistGradientBoosting, no interactions, monotone claims/stuffing/"
                      "repetition/hedges) and TextModel (TF-IDF word 1-2-grams + logistic regression, fitted on "
                      "what the feature margins leave unexplained)",
        "stacker": {"intercept": float(coef[0]), "features": float(coef[1]), "text": float(coef[2]),
                    "text_fitted_beside_features": float(tm.offset_coef_)},
        "monotone_up": sorted(n for n, c in zip(names, cst) if c == 1),
        "monotone_down": sorted(n for n, c in zip(names, cst) if c == -1),
        "extractor": (f"trafilatura {version('trafilatura')} extract(markdown)"
                      if os.environ.get(ENV_EXTRACTOR) == "trafilatura" else
                      f"resiliparse {version('resiliparse')} extract_plain_text(minimal_html) with boilerplate "
                      "selectors (seospam.inputs.html.BOILERPLATE_SELECTORS)"),
        "layouts": list(layouts),
        "threshold": threshold,
        "suspicious_threshold": suspicious,
        "operating_points": operating_points(oof[ok & (y == 0)], oof[ok & (y == 1)]),
        "fpr_thresholds": [[f, threshold_for_fpr(oof[ok & (y == 0)], f)] for f in FPR_GRID],
        "threshold_rule": f"out-of-fold FPR <= {SPAM_FPR:.0%} on the negatives, all layouts (suspicious: <= "
                          f"{SUSPICIOUS_FPR:.0%})",
        "feature_names": names,
        "feature_spec": spec(names),
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
