"""claim_safety_count: absolute-safety claims, counted with their spans."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "claim_safety_count"

CASES = [
    ("", 0.0, []),
    ("The library opens at nine.", 0.0, []),
    ("Our tea is safe and effective for the whole family.", 1.0, ["safe and effective"]),
    ("It has no side effects. It is non-addictive.", 2.0, ["no side effects", "non-addictive"]),
    ("SAFE AND EFFECTIVE, they say.", 1.0, ["SAFE AND EFFECTIVE"]),
    ("Is it safe? Effective treatments exist.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
