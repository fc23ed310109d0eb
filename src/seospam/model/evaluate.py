"""Evaluation of a trained model on labelled data, and cross-validation studies (leave-one-source-out, baseline)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .augment import LAYOUTS
from ..readers.labelled import read_labelled
from ..errors import DataError
from .metrics import calibration, confusion, per_group, summary, threshold_for_fpr, threshold_sweep, worst_errors
from .pipeline import fit_stacker, stack
from ..atomic import atomic_open, atomic_write_bytes
from .persist import load_model
from .train import SPAM_FPR, evaluate_oof, feature_table, oof_margins


def evaluate(paths: Iterable[str | Path], *, model: str | Path | None = None, positives: Iterable[str | Path] = (),
             report_dir: str | Path | None = None, n_jobs: int = -1, progress: Any = None,
             layouts: Iterable[str] = ("as_written",)) -> dict[str, Any]:
    """Score labelled data with a model and compute overall and per-source metrics (and a report if asked)."""
    m = load_model(model)
    data, _ = read_labelled(paths, positives)
    table = feature_table(data, m.feature_names, layouts=layouts, n_jobs=n_jobs, progress=progress)
    scores = m.predictor.predict_spam(table.X, table.texts) if len(table.texts) else np.array([])
    y = table.y
    groups = table.meta["group"].to_numpy()
    summ = summary(y, scores, m.threshold)
    tab = per_group(y, scores, groups, m.threshold)
    frame = table.meta[["id", "label", "group", "file", "genre", "layout"]].assign(score=scores)
    points = {name: p["threshold"] for name, p in m.operating_points.items()}
    sweep = threshold_sweep(y, scores, [*SWEEP_THRESHOLDS, m.threshold, *points.values()])
    result = {"model": m.name, "threshold": m.threshold, "summary": summ, "confusion": confusion(y, scores, m.threshold),
              "calibration": calibration(y, scores), "operating_points": points, "sweep": sweep,
              "per_source": tab, "scores": frame,
              "errors": [{"id": str(data["id"].iloc[i]), "error": e} for i, e in table.errors]}
    if report_dir is not None:
        result["report"] = str(write_report(result, report_dir))
    result["json"] = _jsonable({k: v for k, v in result.items() if k != "json"})
    return result


#: The sweep's thresholds (the model's own and its operating points are added).
SWEEP_THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.05, 1.0, 0.05))


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
        with atomic_open(out / name) as fh:
            fig.savefig(fh, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
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
    sweep = result["sweep"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sweep["threshold"], sweep["recall"], marker=".", label="recall", color="#c0392b")
    ax.plot(sweep["threshold"], sweep["fpr"], marker=".", label="false-positive rate", color="#2471a3")
    ax.plot(sweep["threshold"], sweep["precision"], marker=".", label="precision", color="#7d3c98")
    ax.axvline(t, color="black", ls="--", label=f"threshold {t:.3f}")
    for name, pt in result.get("operating_points", {}).items():
        ax.axvline(pt, color="grey", ls=":")
        ax.annotate(name, (pt, 0.5), rotation=90, fontsize=8, color="grey")
    ax.set_yscale("symlog", linthresh=0.01)
    ax.set(xlabel="threshold", ylabel="rate (log above 0.01)", title="Threshold sweep", xlim=(0, 1))
    ax.legend(loc="lower left", fontsize=8)
    save(fig, "sweep.png", "Recall, precision and FPR by threshold")
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
    c = result["confusion"]
    matrix = (f"<table><tr><th></th><th>flagged spam</th><th>not flagged</th></tr><tr><th>spam</th><td>{c['tp']}</td>"
              f"<td>{c['fn']}</td></tr><tr><th>not spam</th><td>{c['fp']}</td><td>{c['tn']}</td></tr></table>")
    sweep_rows = sweep.to_dict("records")
    sweep_html = "<table><tr>" + "".join(f"<th>{k}</th>" for k in sweep.columns) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r.values()) + "</tr>" for r in sweep_rows) + "</table>"
    cal = result["calibration"]
    cal_html = (f"<p>Brier score {cell(cal['brier'])}, expected calibration error {cell(cal['ece'])} "
                "(10 equal-width bins; thin bins are noisy).</p><table><tr><th>bin</th><th>pages</th>"
                "<th>mean score</th><th>spam share</th></tr>" + "".join(
                    f"<tr><td>{b['bin']}</td><td>{b['n']}</td><td>{cell(b['mean_score'])}</td>"
                    f"<td>{cell(b['spam_share'])}</td></tr>" for b in cal["bins"]) + "</table>")
    worst = worst_errors(frame, t)
    atomic_write_bytes(out / "predictions.csv", worst.to_csv(index=False).encode("utf-8"))
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>seospam evaluation: {html.escape(result['model'])}</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;
margin:1em 0}}td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}td:first-child{{text-align:left}}
figure{{display:inline-block;margin:0 1em 1em 0;vertical-align:top}}img{{max-width:560px}}</style></head><body>
<h1>seospam evaluation</h1><p>Model <b>{html.escape(result['model'])}</b>, threshold {t:.4f},
{len(result['errors'])} unreadable records not scored.</p>
<h2>Overall</h2><table>{metrics}</table><h2>Confusion matrix at the threshold</h2>{matrix}
<h2>Calibration</h2>{cal_html}<h2>Plots</h2>{figs}<h2>Threshold sweep</h2>{sweep_html}
<p>Every page with its score, worst errors first: <a href="predictions.csv">predictions.csv</a>
({int(worst["wrong"].sum())} wrong at the threshold).</p>
<h2>Per source</h2><table><tr>{head}</tr>{body}</table></body></html>"""
    atomic_write_bytes(out / "index.html", page.encode("utf-8"))
    atomic_write_bytes(out / "metrics.json", json.dumps(_jsonable({"summary": summ, "confusion": c, "calibration": cal, "sweep": sweep_rows,
                                                                    "per_source": rows}),
                                                        indent=2).encode())
    return out / "index.html"


SCHEMES = {"lowo": "leave one writer (data file) out", "group5": "GroupKFold(5) by writer",
           "loso": "leave one source (site) out"}


def cross_validate(paths: Iterable[str | Path], *, positives: Iterable[str | Path] = (), scheme: str = "lowo",
                   n_jobs: int = -1, progress: Any = None, report_dir: str | Path | None = None,
                   layouts: Iterable[str] = LAYOUTS) -> dict[str, Any]:
    """Out-of-fold comparison: each page, in every layout, is scored by models that never saw its writer (or site).

    Compares the stacked model with its two parts alone: the feature GAM, and the text model, which is the
    TF-IDF + logistic regression baseline. Thresholds for per-writer FPR and recall are chosen on the other
    writers' negatives. Returns pooled metrics per model and tables per writer, genre and layout.
    """
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    if scheme not in SCHEMES:
        raise DataError(f"unknown cross-validation scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    data, _ = read_labelled(paths, positives)
    table = feature_table(data, layouts=layouts, n_jobs=n_jobs, progress=progress)
    if scheme == "loso":
        table.meta["file"] = table.meta["group"]
    y, writers = table.y, table.writers
    splitter = GroupKFold(n_splits=min(5, len(set(writers)))) if scheme == "group5" else LeaveOneGroupOut()
    margins = oof_margins(table, splitter, progress=progress)
    ok = ~np.isnan(margins).any(axis=1)
    coef = fit_stacker(margins[ok], y[ok])
    scores = {"stacked": np.where(ok, stack(coef, np.nan_to_num(margins)), np.nan),
              "features_only": margins[:, 0], "tfidf_baseline": margins[:, 1]}
    pooled, reports = {}, {}
    for name, s in scores.items():
        t = threshold_for_fpr(s[ok & (y == 0)], SPAM_FPR)
        rep = evaluate_oof(table, np.where(ok, s, np.nan), t)
        pooled[name] = rep["pooled"]
        reports[name] = rep
    frame = table.meta[["id", "label", "group", "file", "genre", "layout"]].copy()
    for name, s in scores.items():
        frame[name] = s
    result = {"scheme": scheme, "description": SCHEMES[scheme], "pooled": pooled, "stacker": coef.tolist(),
              "per_writer": reports["stacked"]["per_writer"], "per_genre": reports["stacked"]["per_genre"],
              "per_layout": reports["stacked"]["per_layout"],
              "baseline_per_writer": reports["tfidf_baseline"]["per_writer"], "scores": frame,
              "errors": [{"id": str(data["id"].iloc[i]), "error": e} for i, e in table.errors]}
    if report_dir is not None:
        out = Path(report_dir)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out / "cross_validation.json", json.dumps(_jsonable(
            {k: v for k, v in result.items() if k != "scores"}), indent=2).encode())
        atomic_write_bytes(out / "oof_scores.csv", frame.to_csv(index=False).encode())
        result["report"] = str(out / "cross_validation.json")
    return result
