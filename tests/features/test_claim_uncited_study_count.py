"""claim_uncited_study_count: establishment cues ('studies show') with no checkable reference in their sentence or
the next one."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "claim_uncited_study_count"

CASES = [
    ("", 0.0, []),
    ("The study was long.", 0.0, []),
    ("Studies show it works.", 1.0, ["Studies show"]),
    ("Research shows it helps. Doctors agree it is good.", 2.0, ["Research shows", "Doctors agree"]),
    # A year in brackets in the same sentence, or "et al." in the next one, cites the cue.
    ("Studies show this (2019).", 0.0, []),
    ("Studies show it works. Smith et al. agree.", 0.0, []),
    # A reference two sentences on, or in the sentence before, does not.
    ("Studies show it works. It is cheap. Smith (2019) agrees.", 1.0, ["Studies show"]),
    ("Smith (2019) tested it. Studies show it works.", 1.0, ["Studies show"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
