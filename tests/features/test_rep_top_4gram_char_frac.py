"""rep_top_4gram_char_frac: characters of the most frequent word 4-gram (words joined by spaces) times its count,
over all characters of the page, capped at 1 (Gopher top n-gram rule); 0 when no 4-gram occurs twice."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_top_4gram_char_frac"

CASES = [
    ("", 0.0, []),
    # near miss: a repeated 3-gram is not a repeated 4-gram
    ("green tea helps. green tea helps.", 0.0, []),
    # "drink green tea daily" (21 characters) twice in 45
    ("drink green tea daily. drink green tea daily.", 42 / 45, []),
    # other text between the copies only grows the denominator ("Walk a lot." is 11 characters)
    ("Drink green tea daily. Walk a lot. Drink green tea daily.", 42 / 57, []),
    # a tie goes to the 4-gram seen first: "a big tea cup" (13), not "tea cup long spoon" (18)
    ("a big tea cup, long spoon, a big tea cup, long spoon", 26 / 52, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of("green tea helps. green tea helps."))
    assert replace(REGISTRY[NAME], n=3).compute(a) == pytest.approx(30 / 33)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of("drink green tea daily. drink green tea daily."))
    assert replace(REGISTRY[NAME], gopher_cut=0.0).compute(a) == pytest.approx(42 / 45)
