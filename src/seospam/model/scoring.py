"""Scoring: one target (``score``), many pages (``score_pages``) or a pandas frame (``score_frame``).

``score_frame`` is the one function every engine calls (local batch, Dask ``map_partitions``, Spark
``mapInPandas``, Ray ``map_batches``): it imports no engine, never raises for a bad record (that record gets an
``error``), and loads the model once per process.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..errors import InputError
from .explain import compact, raised, reasons
from .pipeline import TEXT_REASON, feature_matrix
from ..features import FeatureSet, extract
from ..inputs.fetch import check_url
from ..inputs.language import detect_language, is_supported
from ..inputs.edge import is_url, to_page
from ..inputs.page import Page
from .persist import Model, load_model
from ..schema import OUTPUT_COLUMNS, SCHEMA_VERSION, STRING_COLUMNS, is_missing
from ..strings import safe_value

#: Verdict of a page in a language the model was not trained for: its score is not a judgement.
UNSUPPORTED = "unsupported"


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
    lang: str | None = None
    base: float = 0.0
    other_points: float = 0.0
    page: Page | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: schema_version, target, url, score, verdict, is_spam, threshold, lang, base, reasons,
        features, model.

        ``base`` plus every reason's ``points`` plus ``other_points`` (the rules too small to list) is
        ``logit(score)``; those numbers are not rounded, so that it adds up. A feature whose input the page lacks (no headings, no list) is ``null``.
        """
        return {"schema_version": SCHEMA_VERSION, "target": safe_value(self.target), "url": safe_value(self.url),
                "score": self.score, "verdict": self.verdict, "is_spam": self.is_spam, "threshold": round(self.threshold, 6),
                "lang": self.lang, "truncated": self.truncated,
                "base": self.base, "other_points": self.other_points, "reasons": self.reasons,
                "features": {k: (round(v, 5) if math.isfinite(v) else None) for k, v in self.features.items()},
                "model": self.model}


def _resolve(model: Model | str | None) -> Model:
    return model if isinstance(model, Model) else load_model(model)


def score_pages(pages: list[Page], model: Model | str | None = None, *, explain: bool = True,
                reason_limit: int = 12, threshold: float | None = None) -> list[ScoreResult]:
    """Score already-built pages in one vectorised call (``threshold``: instead of the model card's)."""
    m = _resolve(model).at(threshold=threshold)
    names = m.feature_names
    sets: list[FeatureSet] = [extract(p, names) for p in pages]
    if not pages:
        return []
    X = feature_matrix(sets, names)
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
        lang = detect_language(p.text)
        # A page in a language the model never saw gets no verdict: its score would read "ok" for any page.
        ok_lang = is_supported(lang)
        out.append(ScoreResult(
            target=p.id, url=p.url, score=s, verdict=m.verdict(s) if ok_lang else UNSUPPORTED,
            is_spam=bool(ok_lang and s >= m.threshold), threshold=m.threshold, reasons=rs, features=fs.values,
            model=info, truncated=p.truncated, lang=lang, base=base, other_points=other, page=p))
    return out


def score(target: Any = None, *, text: str | bytes | None = None, html: str | bytes | None = None,
          url: str | None = None, model: Model | str | None = None, fetcher: Any = None, fmt: str | None = None,
          threshold: float | None = None) -> dict[str, Any]:
    """Score one page and return the ``seospam score --json`` structure.

    Give exactly one of: ``target`` (a :class:`~pathlib.Path` to a file, bytes, a record mapping, a
    :class:`~seospam.inputs.page.Page`, or a str: see below), ``text=`` (a plain-text dump), ``html=`` (HTML markup) or
    ``url=`` (an http(s) URL, fetched politely). A bare str that is a URL is fetched; one that names an existing
    file is read as that file; one that looks like a file name or path but names no file raises
    :class:`~seospam.errors.InputError` ("no such file"), never being scored as the page text "page.html". Any
    other str is page content (sniffed as HTML or text); ``text=``/``html=`` say which. Raises only
    :class:`~seospam.errors.InputError` (a :class:`~seospam.errors.FetchError` for URLs) and
    :class:`~seospam.errors.ModelError`. ``threshold`` replaces the card's spam threshold (see :meth:`Model.at`).
    """
    return score_result(target, text=text, html=html, url=url, model=model, fetcher=fetcher, fmt=fmt,
                        threshold=threshold).to_dict()


def score_result(target: Any = None, *, text: str | bytes | None = None, html: str | bytes | None = None,
                 url: str | None = None, model: Model | str | None = None, fetcher: Any = None,
                 fmt: str | None = None, threshold: float | None = None) -> ScoreResult:
    """Like :func:`score`, but returns the :class:`ScoreResult` (with the page, for reports)."""
    obj, fmt, label = resolve_target(target, text=text, html=html, url=url, fmt=fmt)
    m = _resolve(model)
    page = to_page(obj, fetcher=fetcher, fmt=fmt)
    res = score_pages([page], m, threshold=threshold)[0]
    # The target as given (a path or URL), never a repr of page text.
    res.target = label if label is not None else page.id
    return res


#: A bare str this long, or holding a line break or "<", is page content, never a path.
_MAX_PATH_CHARS = 4096
#: A file suffix at the end of a str (".html", ".com"); a literal dot first keeps the search linear.
_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_SPACE = re.compile(r"\s")


def resolve_target(target: Any = None, *, text: Any = None, html: Any = None, url: Any = None,
                   fmt: str | None = None) -> tuple[Any, str | None, str | None]:
    """(what :func:`~seospam.inputs.edge.to_page` should read, the format to force, the target's label for the result).

    Decides what a bare str means, so that a file name is never scored as page text (issue 13, part 7).
    """
    given = [k for k, v in (("target", target), ("text", text), ("html", html), ("url", url)) if v is not None]
    if len(given) != 1:
        raise InputError("score() takes one page: a Path, bytes or str, or one of text=, html=, url= "
                         f"(got {', '.join(given) or 'none'})")
    if text is not None or html is not None:
        content, kind = (text, "text") if text is not None else (html, "html")
        if not isinstance(content, (str, bytes, bytearray, memoryview)):
            raise InputError(f"{kind}= takes a str or bytes, not {type(content).__name__}")
        # A record with only this field: to_page reads a record's fields as content, never as a path or URL.
        return {kind: content if isinstance(content, str) else bytes(content)}, fmt or kind, None
    if url is not None:
        if not isinstance(url, str) or not is_url(url):
            raise InputError(f"url= takes an absolute http(s) URL, not {str(url)[:80]!r}")
        check_url(url.strip())
        return url.strip(), fmt, url.strip()
    if isinstance(target, os.PathLike):
        return target, fmt, str(target)
    if not isinstance(target, str):
        return target, fmt, None
    s = target.strip()
    if is_url(s):
        return s, fmt, s
    if len(s) <= _MAX_PATH_CHARS and s and "\n" not in s and "<" not in s and "\x00" not in s:
        p = Path(os.path.expanduser(s))
        try:
            exists = p.is_file()
        except (OSError, ValueError):
            exists = False
        if exists:
            return p, fmt, target
        if _looks_like_path(s):
            raise InputError(f"no such file: {s[:200]!r} (to score a string as the page itself, pass text= "
                             "or html=; a URL needs http:// or https://)")
    return target, fmt, None


def _looks_like_path(s: str) -> bool:
    """Whether a one-line str reads as a file name or path rather than as a sentence of page text."""
    suffix = _SUFFIX.search(s) is not None and len(s) > len(s.rsplit(".", 1)[1]) + 1
    if suffix and not _SPACE.search(s):
        return True  # one token with a suffix: page.html, notes.txt, example.com
    if s.startswith(("/", "./", "../", "~/")) or re.match(r"[A-Za-z]:[\\/]", s):
        return True
    # "pages/my page.html": a path with a separator and a file suffix, even with spaces in it
    return "/" in s and suffix and not re.search(r"[.!?]\s", s)


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
               "top_reasons": None, "truncated": None, "error": rec.get("error"), "reasons": None, "lang": None,
               "threshold": round(m.threshold, 6), "model_sha256": m.sha256, "schema_version": SCHEMA_VERSION}
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
                       top_reasons=compact(res.reasons, top_k), truncated=res.truncated,
                       reasons=reason_objects(res.reasons, top_k), lang=res.lang)
            if with_features:
                row.update(res.features)
    if with_features:
        for row in rows:
            for n in m.feature_names:
                row.setdefault(n, None)
    return rows


def reason_objects(reason_list: list[dict[str, Any]], k: int = 3) -> list[dict[str, Any]]:
    """The ``k`` reasons that raised the score most, as ``{"feature", "points", "description"}`` objects."""
    return [{"feature": r["feature"], "points": round(float(r["points"]), 4), "description": r.get("description")}
            for r in raised(reason_list, k)]


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
                r[k] = None if is_missing(r[k]) else str(r[k])
    rows = score_records(records, m, with_features=features)
    columns = OUTPUT_COLUMNS + (m.feature_names if features else [])
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({c: "object" for c in (*STRING_COLUMNS, "reasons")})
    # Missing values as None, not NaN, so Spark, Ray and JSON writers read them as null.
    for col in (*STRING_COLUMNS, "reasons"):
        out[col] = [None if is_missing(v) else v for v in out[col]]
    return out
