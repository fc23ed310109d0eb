"""Drop-in scorers for data-pipeline frameworks: datatrove (:mod:`.datatrove`), Hugging Face ``datasets`` (:mod:`.hf`).

Every integration scores through :func:`seospam.scoring.score_pages`, the function behind ``seospam score`` and
``seospam batch``, so a page gets the same score, verdict and reasons in a pipeline as on the command line. The
framework modules import their framework only when used; this module imports none.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from ..errors import InputError
from ..model.persist import Model, load_model

#: Reasons kept per page: the rules that raised the score most (the same count ``batch`` puts in ``top_reasons``).
TOP_REASONS = 3


class PageScorer:
    """Scores texts with one model, loaded on first use and kept for the life of the object.

    ``model`` is a :class:`~seospam.model.persist.Model`, a model file path, or None for the bundled model.
    ``threshold`` overrides the model card's spam threshold (None keeps it). The model is not pickled with the
    object (only its path is), so a framework that ships the object to worker processes loads it once per worker.
    """

    def __init__(self, model: Model | str | os.PathLike | None = None, threshold: float | None = None):
        if threshold is not None and not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold!r}")
        self.threshold = None if threshold is None else float(threshold)
        self._model = model if isinstance(model, Model) else None
        self._model_path = str(model.path if isinstance(model, Model) else model) if model is not None else None

    @property
    def model(self) -> Model:
        """The loaded model (loaded on first access)."""
        if self._model is None:
            self._model = load_model(self._model_path)
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        # A loaded model is megabytes of arrays; workers reload it from its path (checked against its sha256).
        state = dict(self.__dict__)
        state["_model"] = None
        return state

    def spam_threshold(self) -> float:
        """The threshold in force: the one given, else the model card's."""
        return self.model.threshold if self.threshold is None else self.threshold

    def verdict(self, score: float) -> str:
        """'spam' at or above the threshold in force, else the model card's 'suspicious' and 'ok' bands."""
        if score >= self.spam_threshold():
            return "spam"
        return "suspicious" if score >= self.model.suspicious_threshold else "ok"

    def score_texts(self, texts: Iterable[Any], urls: Iterable[Any] | None = None,
                    ids: Iterable[Any] | None = None) -> list[dict[str, Any]]:
        """One result per text: ``{score, verdict, is_spam, reasons, error}``; a text that cannot be scored
        (empty, not text) gets ``error`` and ``score`` None instead of raising."""
        from ..inputs.edge import to_page
        from ..model.scoring import score_pages

        texts = list(texts)
        urls = list(urls) if urls is not None else [None] * len(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        m = self.model
        out: list[dict[str, Any]] = [_error_result("not scored") for _ in texts]
        pages, slots = [], []
        for i, (text, url, rid) in enumerate(zip(texts, urls, ids)):
            try:
                # A record, as batch builds it: plain text, with the URL the page came from when known.
                pages.append(to_page({"id": None if rid is None else str(rid), "text": text,
                                      "url": url if isinstance(url, str) and url else None}))
                slots.append(i)
            except InputError as e:
                out[i] = _error_result(str(e))
            except Exception as e:  # one odd record must not stop a pipeline of millions
                out[i] = _error_result(f"{type(e).__name__}: {e}")
        try:
            results: list[Any] = score_pages(pages, m, reason_limit=TOP_REASONS)
        except Exception:
            results = []
            for p in pages:  # find the page that broke the vectorised call; score the rest
                try:
                    results.extend(score_pages([p], m, reason_limit=TOP_REASONS))
                except Exception as e:
                    results.append(e)
        for slot, res in zip(slots, results):
            if isinstance(res, Exception):
                out[slot] = _error_result(f"{type(res).__name__}: {res}")
                continue
            s = float(res.score)
            out[slot] = {"score": round(s, 6), "verdict": self.verdict(s), "is_spam": s >= self.spam_threshold(),
                         "reasons": [{"feature": r["feature"], "points": round(float(r["points"]), 4)}
                                     for r in res.reasons if r["points"] > 0][:TOP_REASONS],
                         "error": None}
        return out


def _error_result(message: str) -> dict[str, Any]:
    return {"score": None, "verdict": "error", "is_spam": False, "reasons": [], "error": message}


def top_rule(result: dict[str, Any]) -> str:
    """The rule that raised a page's score most (``score`` when no rule raised it)."""
    return result["reasons"][0]["feature"] if result.get("reasons") else "score"
