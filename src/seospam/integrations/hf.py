"""Hugging Face ``datasets`` recipe: score a dataset's text column with ``Dataset.map(score_batch, batched=True)``.

Example (``pip install seospam[hf]``)::

    from datasets import load_dataset
    from seospam.integrations.hf import output_features, score_batch, score_dataset

    ds = load_dataset("json", data_files="pages.jsonl", split="train")
    ds = ds.map(score_batch, batched=True, batch_size=256, features=output_features(ds.features))
    clean = ds.filter(lambda r: not r["seospam_is_spam"])

    ds = score_dataset(ds, threshold=0.9, num_proc=4)   # the same map call, options included

Pass ``features=output_features(...)``: datasets fixes each column's type from the first batch it writes, and a
first batch in which no page could be scored (all scores None, no reasons) would fix the new columns as null and
reject every later batch. Options go through ``fn_kwargs`` (``{"threshold": 0.9, "model": "m.npz"}``); with
``num_proc``, each worker process loads the model once. ``score_batch`` itself does not import ``datasets``.
"""

from __future__ import annotations

import os
from typing import Any

from ..model.persist import Model
from . import PageScorer

#: The columns score_batch adds (after the prefix).
COLUMNS = ("score", "verdict", "is_spam", "reasons", "error")

_SCORERS: dict[tuple[str | None, float | None], PageScorer] = {}


def _scorer(model: Model | str | os.PathLike | None, threshold: float | None) -> PageScorer:
    if isinstance(model, Model):
        return PageScorer(model=model, threshold=threshold)
    key = (None if model is None else str(model), threshold)
    # One scorer (one loaded model) per process and setting: map calls score_batch once per batch.
    if key not in _SCORERS:
        _SCORERS[key] = PageScorer(model=model, threshold=threshold)
    return _SCORERS[key]


def score_batch(batch: dict[str, list[Any]], *, model: Model | str | os.PathLike | None = None,
                threshold: float | None = None, text_column: str = "text", url_column: str = "url",
                id_column: str = "id", prefix: str = "seospam_") -> dict[str, list[Any]]:
    """Score one batch of ``Dataset.map(batched=True)``; returns the new columns ``{prefix}score``, ``verdict``,
    ``is_spam``, ``reasons`` (a list of ``{feature, points}``) and ``error`` (None when scored)."""
    if text_column not in batch:
        raise KeyError(f"no column {text_column!r} in the dataset (pass fn_kwargs={{'text_column': ...}}); "
                       f"columns: {', '.join(batch)}")
    results = _scorer(model, threshold).score_texts(batch[text_column], urls=batch.get(url_column),
                                                    ids=batch.get(id_column))
    return {f"{prefix}{c}": [r[c] for r in results] for c in COLUMNS}


def output_features(features: Any, prefix: str = "seospam_") -> Any:
    """The dataset's ``Features`` plus the typed columns :func:`score_batch` adds (for ``map(features=...)``)."""
    from datasets import Features, List, Value

    out = Features(dict(features))
    out.update({
        f"{prefix}score": Value("float64"),
        f"{prefix}verdict": Value("string"),
        f"{prefix}is_spam": Value("bool"),
        f"{prefix}reasons": List({"feature": Value("string"), "points": Value("float64")}),
        f"{prefix}error": Value("string"),
    })
    return out


def score_dataset(ds: Any, *, model: Model | str | os.PathLike | None = None, threshold: float | None = None,
                  text_column: str = "text", url_column: str = "url", id_column: str = "id",
                  prefix: str = "seospam_", batch_size: int = 256, num_proc: int | None = None) -> Any:
    """``ds.map(score_batch, batched=True)`` with typed output columns: the dataset with the seospam columns added."""
    kwargs = {"model": None if model is None else str(model.path if isinstance(model, Model) else model),
              "threshold": threshold, "text_column": text_column, "url_column": url_column,
              "id_column": id_column, "prefix": prefix}
    return ds.map(score_batch, batched=True, batch_size=batch_size, num_proc=num_proc, fn_kwargs=kwargs,
                  features=output_features(ds.features, prefix), desc="seospam")
