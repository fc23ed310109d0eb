"""Declared features: each one a small unit with its name, version, description, parameters and compute step.

A feature is a frozen dataclass that subclasses :class:`Feature`, as datatrove's filters are classes with their
thresholds as arguments:

- ``name`` (``group_what_unit``) is the column name, the ``get_feature_names_out`` entry and the explanation key;
- ``version`` goes up whenever what the feature computes changes, so a model trained on the old meaning is refused;
- ``description`` is one line, shown in reasons and ``seospam features --list``;
- ``source`` cites where the definition comes from;
- its parameters are dataclass fields made with :func:`param`, each citing the source of its value;
- ``compute`` reads the shared per-page :class:`~seospam.features.analysis.Analysis` and returns a value, or a
  value plus evidence spans (character offsets into ``page.text``).

A feature whose input is absent (a page without headings, without a list, too short for a rate) returns NaN, not 0,
so that "no headings" is a case of its own. The modules, one per group, register their features with
:func:`register`; importing them in :func:`_load`'s fixed order fixes the column order.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Union

from ..inputs.page import Page
from .analysis import Analysis, per_1k

Span = tuple[int, int]
Result = Union[float, int, bool, tuple[float, list[Span]]]

GROUPS = ("basic", "rep", "kw", "claim", "cite", "acro", "promo", "style")


def param(default: Any, source: str) -> Any:
    """A feature parameter: a dataclass field with its default and the source that value comes from."""
    return field(default=default, metadata={"source": source})


@dataclass(frozen=True)
class Feature:
    """Base of every declared feature (see the module docstring)."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    description: ClassVar[str] = ""
    source: ClassVar[str] = ""

    def compute(self, a: Analysis) -> Result:
        """The feature's value for one page, or ``(value, evidence spans)``."""
        raise NotImplementedError

    @property
    def group(self) -> str:
        """The group, the first part of the name (``claim`` for ``claim_safety_count``)."""
        return self.name.split("_", 1)[0]

    @property
    def params(self) -> dict[str, Any]:
        """Parameter name → value."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def param_sources(self) -> dict[str, str]:
        """Parameter name → where its value comes from."""
        return {f.name: f.metadata.get("source", "") for f in fields(self)}

    def spec(self) -> dict[str, Any]:
        """``{"version", "params"}``: what a model card records of this feature."""
        return {"version": self.version, "params": self.params}


@dataclass(frozen=True)
class LexiconCount(Feature):
    """A kind of feature: how many of one lexicon's phrases the page holds, with their spans."""

    lexicon: str = ""

    def compute(self, a: Analysis) -> tuple[float, list[Span]]:
        spans = a.lexicon_spans(self.lexicon)
        return float(len(spans)), spans


@dataclass(frozen=True)
class LexiconRate(Feature):
    """A kind of feature: one lexicon's phrases per 1,000 words, with their spans."""

    lexicon: str = ""

    def compute(self, a: Analysis) -> tuple[float, list[Span]]:
        spans = a.lexicon_spans(self.lexicon)
        return per_1k(len(spans), a.n_words), spans


REGISTRY: dict[str, Feature] = {}


def register(cls: type[Feature]) -> type[Feature]:
    """Class decorator: add one instance of ``cls``, with its default parameters, to the registry."""
    name = cls.name
    if not name or name in REGISTRY:
        raise ValueError(f"feature {cls.__name__} has no name or its name {name!r} is registered twice")
    if name.split("_", 1)[0] not in GROUPS or name.count("_") < 2 or not cls.description:
        raise ValueError(f"feature {name}: the name must be group_what_unit and a description is required")
    REGISTRY[name] = cls()
    return cls


@dataclass
class FeatureSet:
    """Feature values for one page, plus the evidence spans behind them."""

    values: dict[str, float]
    evidence: dict[str, list[Span]] = field(default_factory=dict)

    def evidence_json(self, text: str, limit: int = 20) -> dict[str, list[dict]]:
        """Evidence as ``{name: [{"start", "end", "text"}]}``, at most ``limit`` spans a feature."""
        return {name: [{"start": s, "end": e, "text": text[s:e]} for s, e in spans[:limit]]
                for name, spans in self.evidence.items() if spans}


#: The group modules, in the order that gives trained models their column order.
MODULES = ("basic", "claims", "citations", "acronyms", "promo", "repetition", "stuffing", "style")


_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    # Importing a module registers its features; a module imported early (citations imports claims) would register
    # out of turn, so the registry is put in MODULES order once all are in, keeping each module's own order.
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")
    rank = {f"{__name__}.{m}": i for i, m in enumerate(MODULES)}
    ordered = sorted(REGISTRY.values(), key=lambda f: rank[type(f).__module__])
    REGISTRY.clear()
    REGISTRY.update((f.name, f) for f in ordered)
    _loaded = True


def features() -> list[Feature]:
    """Every registered feature, in column order."""
    _load()
    return list(REGISTRY.values())


def feature_names() -> list[str]:
    """All registered feature names, in column order."""
    _load()
    return list(REGISTRY)


def describe(name: str) -> str:
    """The one-line description of a feature."""
    _load()
    return REGISTRY[name].description


def spec(names: list[str] | None = None) -> dict[str, Any]:
    """What a model trained on ``names`` (default: all) depends on, for its card:
    ``{"features": {name: {version, params}}, "lexicons": {name: sha256}}``."""
    from ._lex import lexicon_sha256

    _load()
    return {"features": {name: REGISTRY[name].spec() for name in (names or REGISTRY)},
            "lexicons": dict(lexicon_sha256())}


def spec_differences(recorded: Any, names: list[str]) -> list[str]:
    """What differs between a model card's ``feature_spec`` and this code's, for the model's features ``names``.

    Each difference is a short phrase ("claim_safety_count v1 → v2", "lexicon hedges"); empty when they agree.
    """
    if not isinstance(recorded, dict) or not isinstance(recorded.get("features"), dict):
        return ["the card has no feature spec (made by an older seospam)"]
    now = spec()
    out = []
    for name in names:
        old, new = recorded["features"].get(name), now["features"].get(name)
        if old != new:
            out.append(f"{name} {_spec_str(old)} → {_spec_str(new)}")
    lexicons = recorded.get("lexicons")
    if not isinstance(lexicons, dict):
        lexicons = {}
    out.extend(f"lexicon {lex}" for lex in sorted(set(lexicons) | set(now["lexicons"]))
               if lexicons.get(lex) != now["lexicons"].get(lex))
    return out


def _spec_str(entry: Any) -> str:
    if not isinstance(entry, dict):
        return "absent"
    params = ", ".join(f"{k}={v}" for k, v in (entry.get("params") or {}).items())
    return f"v{entry.get('version')}" + (f" ({params})" if params else "")


def extract(page: Page, names: list[str] | None = None) -> FeatureSet:
    """Compute every registered feature (or ``names``) for one page, over one shared :class:`Analysis`."""
    _load()
    a = Analysis(page)
    values: dict[str, float] = {}
    evidence: dict[str, list[Span]] = {}
    for name in names or REGISTRY:
        out = REGISTRY[name].compute(a)
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
