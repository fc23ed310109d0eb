"""basic_short_line_frac: share of non-empty lines shorter than max_chars (30) characters once stripped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "basic_short_line_frac"

L29 = "Kratom tea is sold in tin now"  # 29 characters
L30 = "Kratom tea is sold in tins now"  # 30 characters
L31 = "Kratom tea is sold in tins now."  # 31 characters

CASES = [
    ("", 0.0, []),
    (L31, 0.0, []),
    ("Buy now", 1.0, []),
    # The boundary: 29 characters is short, 30 is not.
    (L29, 1.0, []),
    (L30, 0.0, []),
    (f"Buy now\n{L31}", 0.5, []),
    # Blank lines are not lines; surrounding spaces are stripped before measuring.
    (f"   {L29}   \n\n{L30}\n{L31}\nHi", 0.5, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_max_chars_is_live():
    a = Analysis(page_of(f"Buy now\n{L30}"))
    assert replace(REGISTRY[NAME], max_chars=31).compute(a) == 1.0
    assert replace(REGISTRY[NAME], max_chars=7).compute(a) == 0.0


def test_fineweb_cut_is_documentation():
    a = Analysis(page_of(f"Buy now\n{L30}"))
    assert replace(REGISTRY[NAME], fineweb_cut=0.1).compute(a) == 0.5
