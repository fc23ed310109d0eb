"""Basic statistics: size, word length, stopwords, line shape (FineWeb, Penedo et al. 2024)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import Feature, param, register
from ._lex import word_set
from .analysis import Analysis

_PUNCT_END = tuple(".!?\"'”’)…:;")


@register
@dataclass(frozen=True)
class WordsLog10(Feature):
    name = "basic_words_log10"
    description = "log10(1 + number of words): page size"
    source = "page size, as in every quality filter"

    def compute(self, a: Analysis) -> float:
        return math.log10(1 + a.n_words)


@register
@dataclass(frozen=True)
class WordLenMean(Feature):
    name = "basic_word_len_mean"
    description = "mean word length in characters"
    source = "Gopher quality filter (Rae et al. 2021): mean word length"

    def compute(self, a: Analysis) -> float:
        w = a.words
        return sum(map(len, w)) / len(w) if w else 0.0


@register
@dataclass(frozen=True)
class StopwordFrac(Feature):
    name = "basic_stopword_frac"
    description = "share of words that are English stopwords (scikit-learn's list)"
    source = "Gopher quality filter (Rae et al. 2021): stopword presence; the list is scikit-learn's"

    def compute(self, a: Analysis) -> float:
        w = a.words
        stop = word_set("stopwords")
        return sum(1 for x in w if x in stop) / len(w) if w else 0.0


@register
@dataclass(frozen=True)
class LinePunctFrac(Feature):
    """A continuous value: the FineWeb cut is the model's to learn, so it is documentation, not a step."""

    name = "basic_line_punct_frac"
    description = "share of lines ending in punctuation (FineWeb drops pages at or under 0.12)"
    source = "FineWeb quality filter (Penedo et al. 2024)"
    fineweb_cut: float = param(0.12, "FineWeb line_punct_thr=0.12")

    def compute(self, a: Analysis) -> float:
        ls = a.lines
        return sum(1 for ln in ls if ln.rstrip().endswith(_PUNCT_END)) / len(ls) if ls else 0.0


@register
@dataclass(frozen=True)
class ShortLineFrac(Feature):
    name = "basic_short_line_frac"
    description = "share of lines under 30 characters (FineWeb drops pages at or over 0.67)"
    source = "FineWeb quality filter (Penedo et al. 2024)"
    max_chars: int = param(30, "FineWeb short_line_length=30")
    fineweb_cut: float = param(0.67, "FineWeb short_line_thr=0.67")

    def compute(self, a: Analysis) -> float:
        ls = a.lines
        return sum(1 for ln in ls if len(ln.strip()) < self.max_chars) / len(ls) if ls else 0.0
