"""Scoring: one target (``score``), many pages (``score_pages``) or a pandas frame (``score_frame``).

``score_frame`` is the one function every engine calls (local batch, Dask ``map_partitions``, Spark
``mapInPandas``, Ray ``map_batches``): it imports no engine, never raises for a bad record (that record gets an
``error``), and loads the model once per process.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from .errors import InputError
from .explain import compact, reasons
from .model import TEXT_REASON
from .features import FeatureSet, extract
from .page import Page, to_page
from .persist import Model, load_model

#: Columns of every batch row, in order (``--features`` appends one column per feature).
OUTPUT_COLUMNS = ["id", "url", "score", "verdict", "is_spam", "top_reasons", "truncated", "error"]


@dataclass
class ScoreResult:
    """The score of one page, with its reasons; ``to_dict`` is the ``--json`` shape."""

    target: str | None
    url: str | None
    score: float
    verdict: str
    is_spam: bool
    threshold: float
    reasons: list[dict[str, Any]]
    features: dict[str, float]
    model: dict[str, str]
    truncated: bool = False
    base: float = 0.0
    other_points: float = 0.0
    page: Page | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: target, url, score, verdict, is_spam, threshold, base, reasons, features, model.

        ``base`` plus every reason's ``points`` plus ``other_points`` (the rules too small to list) is
        ``logit(score)``; those numbers are not rounded, so that it adds up. A feature whose input the page lacks (no headings, no list) is ``null``.
        """
        return {"target": self.target, "url": self.url, "score": self.score, "verdict": self.verdict,
                "is_spam": self.is_spam, "threshold": round(self.threshold, 6), "truncated": self.truncated,
                "base": self.base, "other_points": self.other_points, "reasons": self.reasons,
                "features": {k: (round(v, 5) if math.isfinite(v) else None) for k, v in self.features.items()},
                "model": self.model}


def _resolve(model: Model | str | None) -> Model:
    return model if isinstance(model, Model) else load_model(model)


def score_pages(pages: list[Page], model: Model | str | None = None, *, explain: bool = True,
                reason_limit: int = 12, threshold: float | None = None) -> list[ScoreResult]:
    """Score already-built pages in one vectorised call (``threshold``: instead of the model card's)."""
    m = _resolve(model)
    t = m.threshold if threshold is None else float(threshold)
    names = m.feature_names
    sets: list[FeatureSet] = [extract(p, names) for p in pages]
    if not pages:
        return []
    X = np.asarray([[fs.values[n] for n in names] for fs in sets], dtype=np.float64)
    texts = [p.text for p in pages]
    clf = m.predictor
    probs, feat_pts, text_pts = clf.points(X, texts)
    base = clf.base()
    info = {"name": m.name, "sha256": m.sha256}
    out = []
    for i, (p, fs) in enumerate(zip(pages, sets)):
        s = float(probs[i])
        rs: list[dict[str, Any]] = []
        if explain:
            terms = clf.text_terms(texts[i]) if clf.has_text else []
            margin = float(clf.text_margins([texts[i]])[0]) if clf.has_text else None
            rs = reasons(feat_pts[i], names, fs, p.text, text_points=float(text_pts[i]), text_margin=margin,
                         text_terms=terms, limit=reason_limit)
        listed = {r["feature"] for r in rs}
        other = float(sum(v for n, v in zip(names, feat_pts[i]) if n not in listed))
        if TEXT_REASON not in listed:
            other += float(text_pts[i])
        out.append(ScoreResult(
            target=p.id, url=p.url, score=s, verdict=m.verdict(s, t), is_spam=bool(s >= t), threshold=t, reasons=rs, features=fs.values, model=info, truncated=p.truncated,
            base=base, other_points=other, page=p))
    return out


def score(target: Any, *, model: Model | str | None = None, fetcher: Any = None, fmt: str | None = None,
          threshold: float | None = None) -> dict[str, Any]:
    """Score one URL, path, str, bytes or record; returns the ``seospam score --json`` structure."""
    return score_result(target, model=model, fetcher=fetcher, fmt=fmt, threshold=threshold).to_dict()


def score_result(target: Any, *, model: Model | str | None = None, fetcher: Any = None, fmt: str | None = None,
                 threshold: float | None = None) -> ScoreResult:
    """Like :func:`score`, but returns the :class:`ScoreResult` (with the page, for reports)."""
    m = _resolve(model)
    page = to_page(target, fetcher=fetcher, fmt=fmt)
    res = score_pages([page], m, threshold=threshold)[0]
    # The target as given (a path or URL), never a repr of page text.
    res.target = str(target) if isinstance(target, (str, os.PathLike)) and not isinstance(target, Page) \
        and len(str(target)) <= 2000 and ("://" in str(target) or isinstance(target, os.PathLike)) else page.id
    return res


def score_records(records: Iterable[dict[str, Any]], model: Model | str | None = None, *,
                  with_features: bool = False, top_k: int = 3) -> list[dict[str, Any]]:
    """Score records (dicts with id, url, text or html, and optionally a pre-set ``error``); one row per record."""
    m = _resolve(model)
    records = list(records)
    rows: list[dict[str, Any]] = []
    pages: list[Page] = []
    slots: list[int] = []
    for rec in records:
        row = {"id": rec.get("id"), "url": rec.get("url"), "score": None, "verdict": None, "is_spam": None,
               "top_reasons": None, "truncated": None, "error": rec.get("error")}
        if row["error"] is None:
            try:
                pages.append(to_page(rec))
                slots.append(len(rows))
            except InputError as e:
                row["error"] = str(e)
            except Exception as e:  # a record must never take the batch down
                row["error"] = f"{type(e).__name__}: {e}"
        rows.append(row)
    if pages:
        try:
            results = score_pages(pages, m, reason_limit=top_k)
        except Exception:
            results = []
            for p in pages:  # isolate the record that broke the vectorised call
                try:
                    results.extend(score_pages([p], m, reason_limit=top_k))
                except Exception as e:
                    results.append(e)
        for slot, res in zip(slots, results):
            row = rows[slot]
            if isinstance(res, Exception):
                row["error"] = f"{type(res).__name__}: {res}"
                continue
            row.update(score=round(res.score, 6), verdict=res.verdict, is_spam=res.is_spam,
                       top_reasons=compact(res.reasons, top_k), truncated=res.truncated)
            if with_features:
                row.update(res.features)
    if with_features:
        for row in rows:
            for n in m.feature_names:
                row.setdefault(n, None)
    return rows


def score_frame(df: Any, model: Model | str | None = None, *, features: bool = False, id_field: str = "id",
                text_field: str = "text", html_field: str = "html", url_field: str = "url") -> Any:
    """Score a pandas DataFrame of records; returns one output row per input row, in order."""
    import pandas as pd

    m = _resolve(model)
    # A title column is not passed on: training reads pages without it, and scoring must see what training saw.
    cols = {c: df[c].tolist() if c in df.columns else [None] * len(df)
            for c in (id_field, text_field, html_field, url_field, "error")}
    records = [{"id": cols[id_field][i], "text": cols[text_field][i], "html": cols[html_field][i],
                "url": cols[url_field][i], "error": cols["error"][i] if isinstance(cols["error"][i], str) else None}
               for i in range(len(df))]
    for r in records:
        for k in ("text", "html", "url", "id"):
            if r[k] is not None and not isinstance(r[k], (str, bytes)):
                r[k] = None if _isna(r[k]) else str(r[k])
    rows = score_records(records, m, with_features=features)
    columns = OUTPUT_COLUMNS + (m.feature_names if features else [])
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({"id": "object", "url": "object", "verdict": "object", "top_reasons": "object",
                      "error": "object"})
    # Missing values as None, not NaN, so Spark, Ray and JSON writers read them as null.
    for col in ("id", "url", "verdict", "top_reasons", "error"):
        out[col] = [None if _isna(v) else v for v in out[col]]
    return out


def _isna(v: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # array-likes are values, not missing
        return False
