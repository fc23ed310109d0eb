"""claim_caution_count: warnings and referrals ('talk to your doctor', 'can interact', 'do not take'), counted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "claim_caution_count"

CASES = [
    ("", 0.0, []),
    ("Your doctor can talk.", 0.0, []),
    ("Talk to your doctor first.", 1.0, ["Talk to your doctor"]),
    ("Ask your pharmacist. It can interact with drugs.", 2.0, ["Ask your pharmacist", "can interact"]),
    ("TALK TO YOUR DOCTOR", 1.0, ["TALK TO YOUR DOCTOR"]),
    ("Do not take it if you are pregnant.", 2.0, ["Do not take", "if you are pregnant"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("Talk to your doctor first."))
    value, _ = replace(REGISTRY[NAME], lexicon="cta").compute(a)
    assert value == pytest.approx(0.0)
