"""The feature registry: name → (function, group, description).

A feature is a small pure function from a :class:`~seospam.inputs.page.Page` to a number, registered once with
:func:`feature`. A feature whose input is absent (a page without headings, without a list, too short for a rate)
returns NaN, not 0, so that "no headings" is a case of its own. It may also return evidence: a list of ``(start, end)`` character offsets into ``page.text``.
Its name, ``group_what_unit``, is the column name, the ``get_feature_names_out`` entry and the explanation key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Union

from ..inputs.page import Page

Span = tuple[int, int]
Result = Union[float, int, bool, tuple[float, list[Span]]]


@dataclass(frozen=True)
class Feature:
    """One registered feature."""

    name: str
    group: str
    description: str
    func: Callable[[Page], Result]


REGISTRY: dict[str, Feature] = {}


def feature(name: str, description: str) -> Callable[[Callable[[Page], Result]], Callable[[Page], Result]]:
    """Register ``func`` as feature ``name`` (``group_what_unit``) with a one-line description."""
    group = name.split("_", 1)[0]

    def deco(func: Callable[[Page], Result]) -> Callable[[Page], Result]:
        if name in REGISTRY:
            raise ValueError(f"feature {name} registered twice")
        REGISTRY[name] = Feature(name, group, description, func)
        return func

    return deco


@dataclass
class FeatureSet:
    """Feature values for one page, plus the evidence spans behind them."""

    values: dict[str, float]
    evidence: dict[str, list[Span]] = field(default_factory=dict)

    def evidence_json(self, text: str, limit: int = 20) -> dict[str, list[dict]]:
        """Evidence as ``{name: [{"start", "end", "text"}]}``, at most ``limit`` spans a feature."""
        return {name: [{"start": s, "end": e, "text": text[s:e]} for s, e in spans[:limit]]
                for name, spans in self.evidence.items() if spans}


def _load() -> None:
    # Importing the modules registers their features, in a fixed order so column order is stable.
    from . import basic, citations, claims, promo, repetition, stuffing, style  # noqa: F401


def feature_names() -> list[str]:
    """All registered feature names, in column order."""
    _load()
    return list(REGISTRY)


def describe(name: str) -> str:
    """The one-line description of a feature."""
    _load()
    return REGISTRY[name].description


def extract(page: Page, names: list[str] | None = None) -> FeatureSet:
    """Compute every registered feature (or ``names``) for one page."""
    _load()
    values: dict[str, float] = {}
    evidence: dict[str, list[Span]] = {}
    for name in names or REGISTRY:
        out = REGISTRY[name].func(page)
        if isinstance(out, tuple):
            value, spans = out
            if spans:
                evidence[name] = sorted(set(spans))
        else:
            value = out
        value = float(value)
        # NaN means "this page has no input for the feature" (no headings, no list): its own case for the model.
        values[name] = value if math.isfinite(value) else math.nan
    return FeatureSet(values, evidence)
