"""style_ttr_mattr: type-token ratio averaged over non-overlapping windows of 100 words (the first 50 windows);
a page shorter than one window gets its plain type-token ratio, a page without words 0.0."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "style_ttr_mattr"


def words(n: int, distinct: int) -> str:
    """n words cycling through ``distinct`` different ones (w0 w1 ... w0 w1 ...)."""
    return " ".join(f"w{i % distinct}" for i in range(n))


CASES = [
    ("", 0.0, []),
    ("Tea is warm.", 1.0, []),
    ("tea tea milk milk", 0.5, []),
    # case is folded: one type, three tokens
    ("Tea TEA tea", 1 / 3, []),
    # 99 words, just below the window: plain TTR, 49 types twice plus "tea"
    (words(98, 49) + " tea", 50 / 99, []),
    # exactly one window of 100 words, 50 types
    (words(100, 50), 0.5, []),
    # two windows: 100 distinct words (1.0), then "tea" 100 times (0.01)
    (words(100, 100) + " tea" * 100, (1.0 + 0.01) / 2, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_window_is_live():
    """Windows of 2 words: [tea tea] 0.5 and [milk cold] 1.0."""
    a = Analysis(page_of("tea tea milk cold"))
    assert replace(REGISTRY[NAME], window=2).compute(a) == pytest.approx(0.75)


def test_max_windows_is_live():
    """Only the first window of 2 words is read."""
    a = Analysis(page_of("tea tea milk cold"))
    assert replace(REGISTRY[NAME], window=2, max_windows=1).compute(a) == pytest.approx(0.5)
