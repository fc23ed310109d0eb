"""rep_dup_line_frac: the share of non-empty lines (stripped) that repeat an earlier line exactly (Gopher)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_line_frac"

CASES = [
    ("", 0.0, []),
    ("Drink tea.\nWalk more.", 0.0, []),
    # one of three lines repeats an earlier one
    ("Drink tea.\nWalk more.\nDrink tea.", 1 / 3, []),
    # two repeats: the third copy counts too
    ("Drink tea.\nDrink tea.\nDrink tea.\nWalk more.", 2 / 4, []),
    # blank lines are not lines; surrounding spaces are stripped before comparing
    ("Drink tea.\n\n\n   Drink tea.  ", 1 / 2, []),
    # the same sentences on one line: no repeated line
    ("Drink tea. Drink tea. Drink tea.", 0.0, []),
    # near miss: lines are compared as written, so a case change is a different line
    ("Drink tea.\nDRINK TEA.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_gopher_cut_is_reference_only():
    # The cut documents Gopher's threshold; the value stays continuous whatever the cut.
    a = Analysis(page_of("Drink tea.\nWalk more.\nDrink tea."))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(1 / 3)
