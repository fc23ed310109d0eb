"""rep_top_3gram_char_frac: characters of the most frequent word 3-gram (words joined by spaces) times its count,
over all characters of the page, capped at 1 (Gopher top n-gram rule); 0 when no 3-gram occurs twice."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_top_3gram_char_frac"

CASES = [
    ("", 0.0, []),
    # near miss: a repeated 2-gram is not a repeated 3-gram
    ("green tea and green tea", 0.0, []),
    # "green tea helps" (15 characters) twice in 33
    ("green tea helps. green tea helps.", 30 / 33, []),
    ("green tea helps. green tea helps. green tea helps.", 45 / 50, []),
    # case is folded
    ("Green tea helps. GREEN TEA HELPS.", 30 / 33, []),
    # a tie goes to the 3-gram seen first: "hot tea cup" (11), not "cup long spoon" (14)
    ("hot tea cup, long spoon, hot tea cup, long spoon", 22 / 48, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of("green tea and green tea"))
    assert replace(REGISTRY[NAME], n=2).compute(a) == pytest.approx(18 / 23)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of("green tea helps. green tea helps."))
    assert replace(REGISTRY[NAME], gopher_cut=0.0).compute(a) == pytest.approx(30 / 33)
