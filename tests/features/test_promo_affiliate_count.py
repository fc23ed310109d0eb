"""promo_affiliate_count: affiliate cues ('check price', 'on Amazon', 'top pick', commission notes), counted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "promo_affiliate_count"

CASES = [
    ("", 0.0, []),
    ("The price is high.", 0.0, []),
    ("Our top pick.", 1.0, ["Our top pick"]),
    ("Check price on Amazon.", 2.0, ["Check price", "on Amazon"]),
    ("As an Amazon Associate we earn a commission.", 2.0, ["As an Amazon Associate", "we earn a commission"]),
    # Naming the shop is not a cue; "on Amazon" is.
    ("Amazon sells books.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("Check price on Amazon."))
    value, _ = replace(REGISTRY[NAME], lexicon="cta").compute(a)
    assert value == pytest.approx(0.0)
