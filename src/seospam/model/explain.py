"""Reasons: the points each rule added to or took from this page's score, with the evidence behind it.

Points are exact shares of the score's log-odds (see :class:`seospam.model.AdditiveModel`): ``base`` plus every
rule's points equals ``logit(score)``. As in SpamAssassin, rules that count against spam are listed too, with
negative points. The text model is one rule, ``text_ngrams``, whose evidence is the n-grams that moved it most,
located in the page.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ..features import FeatureSet, describe
from .pipeline import TEXT_REASON, TOKEN_PATTERN

_TOKEN_RE = re.compile(TOKEN_PATTERN)
TEXT_DESCRIPTION = "word n-grams the text model (TF-IDF + logistic regression) weighs, located in the page"


def _value(v: float) -> float | None:
    return None if v is None or not math.isfinite(v) else round(float(v), 4)


def ngram_spans(text: str, ngrams: list[str], limit: int = 8) -> list[tuple[int, int]]:
    """Where the text model's n-grams (lower-cased tokens of 2+ word characters) occur in ``text``."""
    wanted = {tuple(g.split(" ")) for g in ngrams}
    if not wanted:
        return []
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    for i, (w, s, e) in enumerate(toks):
        if (w,) in wanted:
            out.append((s, e))
        elif i + 1 < len(toks) and (w, toks[i + 1][0]) in wanted:
            out.append((s, toks[i + 1][2]))
        if len(out) >= limit:
            break
    return out


def reasons(feature_points: np.ndarray, names: list[str], fs: FeatureSet, text: str, *,
            text_points: float = 0.0, text_margin: float | None = None, text_terms: list[tuple[str, float]] = (),
            min_points: float = 0.05, limit: int = 12, evidence_limit: int = 8) -> list[dict[str, Any]]:
    """Reasons for one page: rules that raised the score (highest first), then rules that lowered it (largest
    first), each ``{"feature", "points", "value", "description", "evidence"}``."""
    items: list[tuple[str, float]] = [(n, float(p)) for n, p in zip(names, feature_points)]
    if text_terms or text_points:
        items.append((TEXT_REASON, float(text_points)))
    up = sorted((it for it in items if it[1] >= min_points), key=lambda it: -it[1])[:limit]
    down = sorted((it for it in items if it[1] <= -min_points), key=lambda it: it[1])[:limit]
    out = []
    for name, pts in up + down:
        if name == TEXT_REASON:
            same_sign = [g for g, share in text_terms if share * pts > 0]
            spans = ngram_spans(text, same_sign, evidence_limit)
            out.append({"feature": name, "points": pts, "value": _value(text_margin), "description": TEXT_DESCRIPTION,
                        "ngrams": [{"ngram": g, "points": share} for g, share in text_terms if share * pts > 0],
                        "evidence": [{"start": s, "end": e, "text": text[s:e]} for s, e in spans]})
            continue
        spans = fs.evidence.get(name, [])[:evidence_limit]
        out.append({
            "feature": name,
            "points": pts,
            "value": _value(fs.values[name]),
            "description": describe(name),
            "evidence": [{"start": s, "end": e, "text": text[s:e]} for s, e in spans],
        })
    return out


def raised(reason_list: list[dict[str, Any]], k: int = 3) -> list[dict[str, Any]]:
    """The first ``k`` reasons that raised the score (``reason_list`` is largest first)."""
    return [r for r in reason_list if r["points"] > 0][:k]


def compact(reason_list: list[dict[str, Any]], k: int = 3) -> str:
    """Top reasons that raised the score, as one short string for batch rows: ``name:+points;name:+points``."""
    return ";".join(f"{r['feature']}:+{r['points']:.2f}" for r in raised(reason_list, k))
