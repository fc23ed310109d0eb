"""Basic statistics: size, word length, stopwords, line shape (FineWeb, Penedo et al. 2024)."""

from __future__ import annotations

import math

from ..inputs.page import Page
from . import feature
from ._lex import word_set

_PUNCT_END = tuple(".!?\"'”’)…:;")


def lines(page: Page) -> list[str]:
    """Non-empty lines of the page text."""
    return [ln for ln in page.text.split("\n") if ln.strip()]


@feature("basic_words_log10", "log10(1 + number of words): page size")
def words_log10(page: Page) -> float:
    return math.log10(1 + len(page.words))


@feature("basic_word_len_mean", "mean word length in characters")
def word_len_mean(page: Page) -> float:
    w = page.words
    return sum(map(len, w)) / len(w) if w else 0.0


@feature("basic_stopword_frac", "share of words that are English stopwords (scikit-learn's list)")
def stopword_frac(page: Page) -> float:
    w = page.words
    stop = word_set("stopwords")
    return sum(1 for x in w if x in stop) / len(w) if w else 0.0


@feature("basic_line_punct_frac", "share of lines ending in punctuation (FineWeb drops pages at or under 0.12)")
def line_punct_frac(page: Page, min_frac: float = 0.12) -> float:
    """FineWeb: ``line_punct_thr=0.12``; returned as a continuous value, the cut is the model's to learn."""
    ls = lines(page)
    return sum(1 for ln in ls if ln.rstrip().endswith(_PUNCT_END)) / len(ls) if ls else 0.0


@feature("basic_short_line_frac", "share of lines under 30 characters (FineWeb drops pages at or over 0.67)")
def short_line_frac(page: Page, max_chars: int = 30) -> float:
    """FineWeb: ``short_line_thr=0.67`` with ``short_line_length=30``."""
    ls = lines(page)
    return sum(1 for ln in ls if len(ln.strip()) < max_chars) / len(ls) if ls else 0.0
