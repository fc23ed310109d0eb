"""seospam: find auto-generated promotional health content (SEO spam) in web pages, with checkable reasons.

The public API is imported lazily so that ``import seospam`` stays cheap::

    import seospam
    result = seospam.score(Path("page.html"))    # same structure as `seospam score --json`; text= / html= / url=
    frame = seospam.score_frame(df)              # one output row per input row
    page = seospam.to_page("<html>...</html>")
    feats = seospam.extract_features(page)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "score": ("seospam.model.scoring", "score"),
    "score_frame": ("seospam.model.scoring", "score_frame"),
    "score_records": ("seospam.model.scoring", "score_records"),
    "load_model": ("seospam.model.persist", "load_model"),
    "Model": ("seospam.model.persist", "Model"),
    "to_page": ("seospam.inputs.edge", "to_page"),
    "Page": ("seospam.inputs.page", "Page"),
    "extract_features": ("seospam.features", "extract"),
    "feature_names": ("seospam.features", "feature_names"),
    "train": ("seospam.model.train", "train"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        return getattr(importlib.import_module(mod), attr)
    raise AttributeError(f"module 'seospam' has no attribute {name!r}")
