"""rep_dup_sent_frac: the share of sentences that repeat an earlier sentence word for word (case and spacing
folded), whatever the line breaks; NaN for a page without sentences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_sent_frac"

CASES = [
    ("", float("nan"), []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    ("Tea is warm. Tea is warm. Milk is cold.", 1 / 3, []),
    # line breaks do not matter: the repeat is found across lines and inside one line alike
    ("Tea is warm. Milk is cold.\nTea is warm. Milk is cold.", 2 / 4, []),
    # case and runs of spaces are folded
    ("Tea is warm.\nTEA IS   WARM.", 1 / 2, []),
    # near miss: one word differs
    ("Tea is warm. Tea is hot.", 0.0, []),
    # a heading without a full stop joins the next sentence, which is then no longer a repeat
    ("Tea facts\nTea is warm. Tea is warm.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of("Tea is warm. Tea is warm. Milk is cold."))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(1 / 3)
