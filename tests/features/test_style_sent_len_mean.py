"""style_sent_len_mean: mean words per sentence (sentences without words are left out); NaN for a page with no
sentence that has a word. Line breaks do not end a sentence, punctuation does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "style_sent_len_mean"

CASES = [
    ("", float("nan"), []),
    # punctuation only: a sentence with no word
    ("...", float("nan"), []),
    ("Tea is warm.", 3.0, []),
    # lengths 2 and 5
    ("Go now. Tea is very warm today.", 3.5, []),
    # the word-free "..." sentence does not pull the mean down
    ("Tea is warm. Milk is cold. ...", 3.0, []),
    # "It's" is one word, "well-known" two: lengths 2 and 4
    ("It's warm. A well-known tea.", 3.0, []),
    # a line break is no sentence end: one sentence of 8 words
    ("Tea is warm\nand milk is cold too.", 8.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_max_sentences_is_live():
    """Only the first sentence (2 words) is read."""
    a = Analysis(page_of("Go now. Tea is very warm today."))
    assert replace(REGISTRY[NAME], max_sentences=1).compute(a) == pytest.approx(2.0)
