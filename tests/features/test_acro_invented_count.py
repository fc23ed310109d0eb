"""acro_invented_count: dotted acronyms that are not standard, not common words, and never expanded to matching
words on the page (or expanded two ways), counted once per acronym."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "acro_invented_count"

TWO_WAYS = "Kratom Relief Solution (K.R.S.) helps. K.R.S. (Kratom Recovery System) works."

CASES = [
    ("", 0.0, []),
    ("The U.S. market is big.", 0.0, []),
    ("Try K.R.S. today.", 1.0, ["K.R.S."]),
    ("Buy K.R.S today.", 1.0, ["K.R.S"]),
    # A matching expansion, before in brackets or after "short for", makes it genuine.
    ("Kratom Relief Solution (K.R.S.) helps.", 0.0, []),
    ("K.R.S., short for Kratom Relief Solution, helps.", 0.0, []),
    # Expanded two different ways: invented, one acronym with both occurrences as evidence.
    (TWO_WAYS, 1.0, ["K.R.S.", "K.R.S."]),
    # A bracket that does not spell the letters is no expansion.
    ("K.R.S. (a herbal blend) works.", 1.0, ["K.R.S."]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def _value(text, **params):
    return replace(REGISTRY[NAME], **params).compute(Analysis(page_of(text)))[0]


def test_min_zipf_is_live():
    """'NASA' is a common word (Zipf about 4.2): known at the default 2.8, invented when the cut is raised."""
    assert _value("The N.A.S.A. report.") == 0.0
    assert _value("The N.A.S.A. report.", min_zipf=5.0) == 1.0


def test_max_name_initials_is_live():
    """Up to three initials before a capitalised word read as a name ('K.R.S. Brand'), unless the cap is lowered."""
    assert _value("K.R.S. Brand tea.") == 0.0
    assert _value("K.R.S. Brand tea.", max_name_initials=2) == 1.0


def test_scan_chars_is_live():
    assert _value("Try K.R.S. today.", scan_chars=5) == 0.0
