"""basic_line_punct_frac: share of non-empty lines ending in punctuation (. ! ? quote bracket … : ;)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "basic_line_punct_frac"

CASES = [
    ("", 0.0, []),
    ("Buy now", 0.0, []),
    ("It works.", 1.0, []),
    ("Buy now\nIt works.", 0.5, []),
    # Blank lines are not lines; trailing spaces are ignored.
    ("Is it safe?  \n\n\nBest Tea", 0.5, []),
    # A colon, a closing bracket or quote counts; a comma does not.
    ("Price:\n(see below)\nHe said \"yes\"\nRed, green,", 0.75, []),
    ("- one item\n- two items;\nHeading\nEnd…", 0.5, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_fineweb_cut_is_documentation():
    """fineweb_cut records FineWeb's threshold; the value stays continuous, so the cut does not change it."""
    feat = replace(REGISTRY[NAME], fineweb_cut=0.9)
    assert feat.compute(Analysis(page_of("Buy now\nIt works."))) == 0.5
