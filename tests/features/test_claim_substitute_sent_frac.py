"""claim_substitute_sent_frac: share of sentences offering the product instead of a medication or therapy: a
substitute cue followed by a medication term, or a 'natural'/'safer' alternative cue (21 CFR 101.93(g)(2)(ix))."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "claim_substitute_sent_frac"

CASES = [
    ("", float("nan"), []),
    ("The library opens at nine.", 0.0, []),
    ("Use kratom instead of methadone.", 1.0, ["Use kratom instead of methadone."]),
    ("Replace your pills with tea. Drink it warm.", 0.5, ["Replace your pills with tea."]),
    # "natural" / "safer" alternatives are substitute claims without naming a medication.
    ("A natural alternative for sleep.", 1.0, ["A natural alternative for sleep."]),
    ("A safer alternative. We close at six.", 0.5, ["A safer alternative."]),
    # A cue with no medication after it, or a medication only before the cue, is no substitute claim.
    ("An alternative to coffee. Ditch your coffee. Stop taking pills.", 1 / 3, ["Stop taking pills."]),
    ("Your medication works; use tea instead of it.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
