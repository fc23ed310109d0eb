"""Write models/README.md (the model card a person reads) from models/default.json (the card the code reads).

Usage: python scripts/model_card.py [models/default.npz]

Every figure comes from the JSON card that `seospam train` wrote, or from scoring ../shared/seeds with the model,
so the card cannot drift from the model. The acceptance lines of issue 9 are computed here, not typed.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NAMED = ("rep_", "kw_", "claim_", "cite_", "acro_", "promo_")
CORPORA = ("nih_health_pages.jsonl", "news_reliable.jsonl")


def fmt(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def table(rows: list[dict], cols: list[str]) -> str:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(fmt(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(out)


def seed_reasons(model_path: Path) -> list[tuple[str, list[str]]]:
    from seospam.model.persist import load_model
    from seospam.model.scoring import score

    m = load_model(model_path)
    out = []
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        res = score(p, model=m)
        top = [r["feature"] for r in sorted(res["reasons"], key=lambda r: -r["points"])[:3]]
        out.append((p.name, top))
    return out


def main(model: str = "models/default.npz") -> None:
    mpath = ROOT / model
    card = json.loads(mpath.with_suffix(".json").read_text())
    cv = card["grouped_cv"]
    pooled, alone = cv["pooled"], cv.get("models_alone", {})
    layouts = {r["group"]: r for r in cv["per_layout"]}
    writers = {r["group"]: r for r in cv["per_writer"]}
    w0 = layouts["as_written"]
    lay_rows = []
    rec_ok = fpr_ok = True
    for name, r in layouts.items():
        rr = r["recall"] / w0["recall"] if w0["recall"] else float("nan")
        fr = r["fpr"] / w0["fpr"] if w0["fpr"] else float("nan")
        rec_ok &= rr >= 0.9
        fpr_ok &= fr <= 1.5
        lay_rows.append({**r, "recall_ratio": rr, "fpr_ratio": fr})
    corp = [writers[c] for c in CORPORA if c in writers]
    corp_fpr = sum(r["fpr"] * r["n"] for r in corp) / max(1, sum(r["n"] for r in corp))
    ai = writers.get("ham_j.jsonl", {}).get("fpr")
    seeds = seed_reasons(mpath) if (SHARED / "seeds").is_dir() else []
    seeds_ok = all(all(f.startswith(NAMED) for f in top) for _, top in seeds) if seeds else None
    st = card["stacker"]
    ops = card.get("operating_points", {})

    def yes(ok) -> str:
        return "met" if ok else "**not met**"

    lines = [
        f"# Model card: `{Path(model).name}`",
        "",
        "Built by `seospam train data/ ../shared/corpora/ --positives ../shared/seeds -o models/default.npz` "
        f"(this build took {card.get('train_seconds', 0) / 60:.0f} minutes of wall time on a 2-core machine shared with other "
        "jobs; deterministic: "
        "`tests/test_train.py` checks that two trainings write byte-identical files). This file is written by "
        "`python scripts/model_card.py` from `default.json`, the card the code reads; every figure below is "
        "from there.",
        "",
        "## What it is",
        f"- **Classifier:** {card['classifier']}.",
        f"- **Monotone up** (can only raise the score): {', '.join(card.get('monotone_up', []))}.",
        f"- **Monotone down** (can only lower it): {', '.join(card.get('monotone_down', [])) or 'none'}.",
        f"- **Stacker** (logistic regression on the two out-of-fold margins): intercept {st['intercept']:.3f}, "
        f"features {st['features']:.3f}, text {st['text']:.3f}. The text model was fitted beside the feature "
        f"margins (their coefficient there: {st.get('text_fitted_beside_features', 0):.3f}), so its n-grams carry "
        "what the named features miss.",
        f"- **Threshold:** {card['threshold']:.4f} ({card['threshold_rule']}); suspicious from "
        f"{card['suspicious_threshold']:.4f}.",
        "- **Operating points** (chosen on out-of-fold negatives of all layouts; `--operating-point NAME`):",
        "",
        table([{"name": k, **v} for k, v in ops.items()], ["name", "max_fpr", "threshold", "oof_fpr", "oof_recall"]),
        "",
        f"- **Extractor:** {card.get('extractor')}. **Format:** {card['format']}.",
        f"- **Feature spec:** {len(card.get('feature_spec', {}).get('features', {}))} features with their versions "
        f"and parameters, and the sha256 of {len(card.get('feature_spec', {}).get('lexicons', {}))} lexicons "
        "(`feature_spec` in the card; loading refuses a model whose spec differs from the code's; "
        "`seospam features --list` prints the code's).",
        f"- **Trained on** {card.get('trained_pages')} pages, {card.get('trained_rows')} rows (every page in "
        f"{len(card.get('layouts', []))} layouts: {', '.join(card.get('layouts', []))}).",
        "",
        "## Held-out figures",
        f"{cv['scheme']}: no writer (data file; the seeds and each corpus are one group each) is in both a "
        "training and a test fold, and a page's layout variants stay in its fold.",
        "",
        table([{"model": "stacked (shipped)", **pooled}] + [{"model": k, **v} for k, v in alone.items()],
              ["model", "n", "roc_auc", "pr_auc", "recall_at_1pct_fpr"]),
        "",
        "Per writer (recall and FPR at a threshold chosen on the *other* writers' negatives):",
        "",
        table(cv["per_writer"], ["group", "n", "spam", "auc_vs_rest", "threshold", "recall", "fpr"]),
        "",
        "Per layout (at the model's threshold):",
        "",
        table(lay_rows, ["group", "n", "recall", "recall_ratio", "fpr", "fpr_ratio", "auc_vs_rest"]),
        "",
        "Per genre (at the model's threshold):",
        "",
        table(cv.get("per_genre", []), ["group", "n", "spam", "auc_vs_rest", "recall", "fpr"]),
        "",
        "## Against issue 9's acceptance (computed from the figures above)",
        f"- Held-out ROC-AUC ≥ 0.95: {pooled['roc_auc']:.4f}, {yes(pooled['roc_auc'] >= 0.95)}. Recall at 1 % FPR "
        f"≥ 0.75: {pooled['recall_at_1pct_fpr']:.4f}, {yes(pooled['recall_at_1pct_fpr'] >= 0.75)}. TF-IDF "
        f"baseline on the same split: ROC-AUC {alone.get('text_only', {}).get('roc_auc')}, recall "
        f"{alone.get('text_only', {}).get('recall_at_1pct_fpr')}.",
        f"- Recall in every layout ≥ 0.9 × as written: {yes(rec_ok)}. FPR in every layout ≤ 1.5 × as written: "
        f"{yes(fpr_ok)}.",
        f"- Real negatives, each corpus at a threshold set on the other writers' negatives: "
        + ", ".join(f"{r['group']} {r['fpr']:.4f}" for r in corp)
        + f" (pooled {corp_fpr:.4f}); ≤ 0.01: {yes(corp_fpr <= 0.01)}. Honest AI-voice pages (ham_j): "
        f"{fmt(ai)}; ≤ 0.05: {yes(ai is not None and ai <= 0.05)}.",
    ]
    if seeds:
        lines.append(f"- Top 3 reasons of each seed from {', '.join(NAMED)}: {yes(seeds_ok)}. "
                     + "; ".join(f"{n}: {', '.join(top)}" for n, top in seeds) + ".")
    lines += ["- Points add up: `tests/test_score.py::test_points_add_up_to_the_log_odds` checks base + points "
              "= logit(score) to 1e-6.", ""]
    mpath.parent.joinpath("README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
