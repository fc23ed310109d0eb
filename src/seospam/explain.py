"""Reasons: the points each feature added to this page's score, with the evidence that made it fire.

Points are log-odds contributions (see :meth:`seospam.model.SpamClassifier.contributions`), in the spirit of
SpamAssassin's learned rule scores: a reason is listed only if it pushed this page's score up.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .features import FeatureSet, describe


def reasons(contrib: np.ndarray, names: list[str], fs: FeatureSet, text: str, *, min_points: float = 0.05,
            limit: int = 12, evidence_limit: int = 8) -> list[dict[str, Any]]:
    """Reasons for one page, highest points first: ``{"feature", "points", "value", "description", "evidence"}``."""
    order = np.argsort(-contrib, kind="stable")
    out = []
    for j in order:
        pts = float(contrib[j])
        if pts < min_points or len(out) >= limit:
            break
        name = names[j]
        spans = fs.evidence.get(name, [])[:evidence_limit]
        out.append({
            "feature": name,
            "points": round(pts, 3),
            "value": round(fs.values[name], 4),
            "description": describe(name),
            "evidence": [{"start": s, "end": e, "text": text[s:e]} for s, e in spans],
        })
    return out


def compact(reason_list: list[dict[str, Any]], k: int = 3) -> str:
    """Top reasons as one short string for batch rows: ``name:+points;name:+points``."""
    return ";".join(f"{r['feature']}:+{r['points']:.2f}" for r in reason_list[:k])
