"""cite_checkable_count: checkable reference elements ('et al.', a year in brackets, DOI, PMID/PMC, a link, a
numbered reference '[3]'), one count per whitespace-delimited reference (version 2)."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "cite_checkable_count"

CASES = [
    ("", 0.0, []),
    # A bare year is no reference.
    ("In 2019 it rained.", 0.0, []),
    ("Smith et al. found it.", 1.0, ["et al."]),
    ("Jones (Smith, 2020) said so.", 1.0, ["(Smith, 2020)"]),
    ("PMID 123 and PMC456 agree.", 2.0, ["PMID", "PMC456"]),
    ("Read more at www.example.org today.", 1.0, ["www.example.org"]),
    # One DOI link holds three reference elements (https://, doi, 10.x/) and is one reference.
    ("See https://doi.org/10.1000/xyz today.", 1.0, ["https://doi.org/10.1000/xyz"]),
    # Near-misses: a year outside 1900-2099, a four-digit bracket number.
    ("See [3] and (1850) and [1234].", 1.0, ["[3]"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
