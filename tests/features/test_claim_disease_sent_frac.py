"""claim_disease_sent_frac: share of sentences holding both a therapeutic verb and a disease term (21 CFR 101.93(g))."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "claim_disease_sent_frac"

CASES = [
    ("", float("nan"), []),
    ("The library opens at nine.", 0.0, []),
    ("Kratom eases anxiety. The shop is open.", 0.5, ["Kratom eases anxiety."]),
    # Two of four sentences: a prefix verb ("reliev*") and a phrase verb ("get rid of").
    ("This tea relieves joint pain. Get rid of cravings fast. Open daily. Call us.", 0.5,
     ["This tea relieves joint pain.", "Get rid of cravings fast."]),
    # Verb and disease in different sentences do not make a claim.
    ("It treats many things. Anxiety is common.", 0.0, []),
    ("Kratom soothes. Withdrawal is hard.", 0.0, []),
    # A disease term alone is no claim.
    ("The pain was real.", 0.0, []),
    # A heading without a full stop joins the sentence after it.
    ("Pain Relief\nIt works.", 1.0, ["Pain Relief\nIt works."]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
