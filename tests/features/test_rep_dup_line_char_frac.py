"""rep_dup_line_char_frac: characters of the lines that repeat an earlier line / characters of all lines (Gopher)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_line_char_frac"

# "Drink tea." and "Walk more." are 10 characters each; "Walk a lot more each day." is 25.
CASES = [
    ("", 0.0, []),
    ("Drink tea.\nWalk more.", 0.0, []),
    ("Drink tea.\nWalk more.\nDrink tea.", 10 / 30, []),
    ("Drink tea.\nDrink tea.\nDrink tea.\nWalk more.", 20 / 40, []),
    # a long unique line weighs more: 1 of 3 lines but 10 of 45 characters
    ("Drink tea.\nDrink tea.\nWalk a lot more each day.", 10 / 45, []),
    # stripped lines: the indentation is not counted on either side
    ("Drink tea.\n    Drink tea.", 10 / 20, []),
    # near miss: a repeat inside one line is not a repeated line
    ("Drink tea. Drink tea.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of("Drink tea.\nWalk more.\nDrink tea."))
    assert replace(REGISTRY[NAME], gopher_cut=0.0).compute(a) == pytest.approx(1 / 3)
