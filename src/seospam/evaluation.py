"""Evaluation of a trained model on labelled data, and cross-validation studies (leave-one-source-out, baseline)."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .data import read_labelled, records
from .metrics import per_group, summary
from .persist import atomic_write_bytes, load_model
from .train import feature_table


def evaluate(paths: Iterable[str | Path], *, model: str | Path | None = None, positives: Iterable[str | Path] = (),
             report_dir: str | Path | None = None, n_jobs: int = -1, progress: Any = None) -> dict[str, Any]:
    """Score labelled data with a model and compute overall and per-source metrics (and a report if asked)."""
    m = load_model(model)
    data, _ = read_labelled(paths, positives)
    recs = records(data)
    X, kept, errors = feature_table(recs, m.feature_names, n_jobs=n_jobs, progress=progress)
    clf = m.pipeline.named_steps["clf"]
    scores = clf.predict_proba(X)[:, 1] if len(kept) else np.array([])
    y = data["label"].to_numpy()[kept]
    groups = data["group"].to_numpy()[kept]
    summ = summary(y, scores, m.threshold)
    table = per_group(y, scores, groups, m.threshold)
    frame = data.iloc[kept][["id", "label", "group"]].reset_index(drop=True).assign(score=scores)
    result = {"model": m.name, "threshold": m.threshold, "summary": summ, "per_source": table, "scores": frame,
              "errors": [{"id": recs[i]["id"], "error": e} for i, e in errors]}
    if report_dir is not None:
        result["report"] = str(write_report(result, report_dir))
    result["json"] = _jsonable({k: v for k, v in result.items() if k != "json"})
    return result


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, pd.DataFrame):
        return _jsonable(obj.to_dict("records"))
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        return None if not np.isfinite(obj) else round(float(obj), 5)
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def write_report(result: dict[str, Any], out_dir: str | Path) -> Path:
    """PNG plots (ROC, PR, score histograms per source, calibration) and an index.html that shows them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import precision_recall_curve, roc_curve

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = result["scores"]
    y, s = frame["label"].to_numpy(), frame["score"].to_numpy()
    both = len(set(y)) == 2
    t = result["threshold"]
    pngs = []

    def save(fig: Any, name: str, caption: str) -> None:
        tmp = out / f".{name}.tmp.png"
        fig.savefig(tmp, dpi=110, bbox_inches="tight")
        plt.close(fig)
        os.replace(tmp, out / name)
        pngs.append((name, caption))

    if both:
        fpr, tpr, _ = roc_curve(y, s)
        fig, ax = plt.subplots(figsize=(5, 4.5))
        ax.plot(fpr, tpr, label=f"ROC-AUC {result['summary']['roc_auc']:.3f}")
        ax.axvline(0.01, color="grey", ls=":", label="1% FPR")
        ax.set_xscale("symlog", linthresh=0.01)
        ax.set(xlabel="false-positive rate", ylabel="recall (spam caught)", title="ROC")
        ax.legend(loc="lower right")
        save(fig, "roc.png", "ROC curve (x axis linear below 1% FPR, log above)")
        prec, rec, _ = precision_recall_curve(y, s)
        fig, ax = plt.subplots(figsize=(5, 4.5))
        ax.plot(rec, prec, label=f"PR-AUC {result['summary']['pr_auc']:.3f}")
        ax.set(xlabel="recall", ylabel="precision", title="Precision-recall")
        ax.legend(loc="lower left")
        save(fig, "pr.png", "Precision-recall curve")
        frac, mean_pred = calibration_curve(y, s, n_bins=10, strategy="quantile")
        fig, ax = plt.subplots(figsize=(5, 4.5))
        ax.plot([0, 1], [0, 1], color="grey", ls=":")
        ax.plot(mean_pred, frac, marker="o")
        ax.set(xlabel="mean predicted score", ylabel="share that is spam", title="Calibration")
        save(fig, "calibration.png", "Calibration (quantile bins)")
    groups = sorted(frame["group"].unique())
    fig, ax = plt.subplots(figsize=(8, max(3, 0.28 * len(groups) + 1)))
    data = [frame.loc[frame["group"] == g, "score"].to_numpy() for g in groups]
    colours = ["#c0392b" if frame.loc[frame["group"] == g, "label"].mean() >= 0.5 else "#2471a3" for g in groups]
    parts = ax.boxplot(data, orientation="horizontal", tick_labels=groups, patch_artist=True, widths=0.6)
    for patch, c in zip(parts["boxes"], colours):
        patch.set_facecolor(c)
        patch.set_alpha(0.5)
    ax.axvline(t, color="black", ls="--", label=f"threshold {t:.3f}")
    ax.set(xlabel="score", title="Scores per source (red: mostly spam, blue: mostly not spam)", xlim=(0, 1))
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right")
    save(fig, "scores_per_source.png", "Score distribution per source")
    fig, ax = plt.subplots(figsize=(6, 4))
    bins = np.linspace(0, 1, 41)
    ax.hist(s[y == 0], bins=bins, alpha=0.6, label="not spam", color="#2471a3")
    ax.hist(s[y == 1], bins=bins, alpha=0.6, label="spam", color="#c0392b")
    ax.axvline(t, color="black", ls="--", label="threshold")
    ax.set_yscale("log")
    ax.set(xlabel="score", ylabel="pages", title="Score histogram")
    ax.legend()
    save(fig, "histogram.png", "Score histogram by label")

    summ = result["summary"]
    rows = result["per_source"].to_dict("records")
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in (rows[0] if rows else {}))

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return "-" if not np.isfinite(v) else f"{v:.3f}"
        return html.escape(str(v))

    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r.values()) + "</tr>" for r in rows)
    figs = "".join(f'<figure><img src="{n}" alt="{html.escape(c)}"><figcaption>{html.escape(c)}</figcaption>'
                   f"</figure>" for n, c in pngs)
    metrics = "".join(f"<tr><th>{k}</th><td>{cell(v)}</td></tr>" for k, v in summ.items())
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>seospam evaluation: {html.escape(result['model'])}</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;
margin:1em 0}}td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}td:first-child{{text-align:left}}
figure{{display:inline-block;margin:0 1em 1em 0;vertical-align:top}}img{{max-width:560px}}</style></head><body>
<h1>seospam evaluation</h1><p>Model <b>{html.escape(result['model'])}</b>, threshold {t:.4f},
{len(result['errors'])} unreadable records not scored.</p>
<h2>Overall</h2><table>{metrics}</table><h2>Plots</h2>{figs}
<h2>Per source</h2><table><tr>{head}</tr>{body}</table></body></html>"""
    atomic_write_bytes(out / "index.html", page.encode("utf-8"))
    atomic_write_bytes(out / "metrics.json", json.dumps(_jsonable({"summary": summ, "per_source": rows}),
                                                        indent=2).encode())
    return out / "index.html"


def baseline_pipeline() -> Any:
    """The TF-IDF + logistic regression baseline on the extracted page text (same extractor as the features)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("tfidf", TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=200_000)),
                     ("lr", LogisticRegression(C=4.0, max_iter=3000))])


def _baseline_oof(texts: list[str], y: np.ndarray, groups: np.ndarray, splitter: Any) -> np.ndarray:
    oof = np.full(len(y), np.nan)
    for tr, te in splitter.split(texts, y, groups):
        if len(set(y[tr])) < 2:
            continue
        pipe = baseline_pipeline().fit([texts[i] for i in tr], y[tr])
        oof[te] = pipe.predict_proba([texts[i] for i in te])[:, 1]
    return oof


def cross_validate(paths: Iterable[str | Path], *, positives: Iterable[str | Path] = (), scheme: str = "loso",
                   kinds: Iterable[str] = ("hgb", "logreg"), baseline: bool = True, n_jobs: int = -1,
                   progress: Any = None, report_dir: str | Path | None = None) -> dict[str, Any]:
    """Out-of-fold comparison by source: each page is scored by models that never saw its source.

    ``scheme`` is ``"loso"`` (leave one source out), ``"lofo"`` (leave one data file out: one writer in
    ``data/``) or ``"group5"`` (GroupKFold by source, 5 folds). Returns pooled metrics
    per model and a per-source table (recall at the pooled 1 % FPR threshold for spam sources, FPR at it for the
    others, and each source's AUC against the other class).
    """
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    from .page import to_page
    from .train import grouped_oof

    data, _ = read_labelled(paths, positives)
    recs = records(data)
    X, kept, errors = feature_table(recs, n_jobs=n_jobs, progress=progress)
    y = data["label"].to_numpy()[kept]
    # "lofo" holds out a whole data file at a time: in data/ one file is one writer, a stricter test than one
    # site, since a writer's sites share a voice.
    groups = data["file" if scheme == "lofo" else "group"].to_numpy()[kept]
    splitter = (GroupKFold(n_splits=min(5, len(set(groups)))) if scheme == "group5" else LeaveOneGroupOut())
    scores: dict[str, np.ndarray] = {}
    for kind in kinds:
        if progress:
            progress(f"{scheme}:{kind}", 0)
        scores[kind] = grouped_oof(X, y, groups, kind, splitter=splitter)
    if baseline:
        if progress:
            progress(f"{scheme}:tfidf-baseline", 0)
        texts = [to_page(recs[i]).text for i in kept]
        scores["tfidf_logreg"] = _baseline_oof(texts, y, groups, splitter)
    pooled = {}
    tables = []
    for name, s in scores.items():
        ok = ~np.isnan(s)
        t1 = float(np.sort(s[ok & (y == 0)])[::-1][int(0.01 * (ok & (y == 0)).sum())])
        pooled[name] = summary(y[ok], s[ok], np.nextafter(t1, np.inf))
        tab = per_group(y[ok], s[ok], groups[ok], np.nextafter(t1, np.inf))
        cols = ["auc_vs_rest", "recall", "fpr"] if tables else ["n", "spam", "auc_vs_rest", "recall", "fpr"]
        tab = tab.set_index("source")[cols]
        tables.append(tab.rename(columns={c: f"{name}:{c}" for c in cols if c not in ("n", "spam")}))
    table = pd.concat(tables, axis=1).reset_index()
    frame = data.iloc[kept][["id", "label", "group"]].reset_index(drop=True)
    for name, s in scores.items():
        frame[name] = s
    result = {"scheme": scheme, "pooled": pooled, "per_source": table, "scores": frame,
              "errors": [{"id": recs[i]["id"], "error": e} for i, e in errors]}
    if report_dir is not None:
        out = Path(report_dir)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out / "cross_validation.json", json.dumps(_jsonable(
            {"scheme": scheme, "pooled": pooled, "per_source": table}), indent=2).encode())
        frame.to_csv(out / "oof_scores.csv", index=False)
        result["report"] = str(out / "cross_validation.json")
    return result
