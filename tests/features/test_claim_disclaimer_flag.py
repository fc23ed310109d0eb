"""claim_disclaimer_flag: 1 when the page carries the DSHEA 'not evaluated by the FDA' disclaimer, else 0."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "claim_disclaimer_flag"

CASES = [
    ("", 0.0, []),
    ("The FDA has evaluated this.", 0.0, []),
    ("These statements have not been evaluated by the FDA.", 1.0, ["not been evaluated by the FDA"]),
    # Punctuation between the words does not matter.
    ("Not intended to diagnose, treat, cure, or prevent any disease.", 1.0,
     ["Not intended to diagnose, treat, cure, or prevent any disease"]),
    # A flag, not a count: two disclaimers still give 1, with both spans.
    ("Not been evaluated by the FDA. Not been evaluated by the Food and Drug Administration.", 1.0,
     ["Not been evaluated by the FDA", "Not been evaluated by the Food and Drug Administration"]),
    # Near-miss: the wording must be the disclaimer's ("not been evaluated").
    ("It was not evaluated by the FDA.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
