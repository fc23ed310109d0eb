"""rep_dup_sent_char_frac: characters of the sentences that repeat an earlier one / characters of all sentences,
both counted on the compare form (case folded, spaces collapsed); NaN for a page without sentences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_sent_char_frac"

# "tea is warm." is 12 characters, "milk is cold." 13.
CASES = [
    ("", float("nan"), []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    ("Tea is warm. Tea is warm. Milk is cold.", 12 / 37, []),
    ("Tea is warm. Milk is cold. Tea is warm. Milk is cold.", 25 / 50, []),
    # the extra spaces are folded away before counting, so both sentences are 12 characters
    ("Tea is    warm.\nTEA IS WARM.", 12 / 24, []),
    # near miss: one word differs
    ("Tea is warm. Milk is cold. Tea is hot.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of("Tea is warm. Tea is warm. Milk is cold."))
    assert replace(REGISTRY[NAME], gopher_cut=0.0).compute(a) == pytest.approx(12 / 37)
