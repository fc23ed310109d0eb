"""kw_heading_share: share of the headings (and the title, when the page has one) that contain the page's top content
word, with the matching headings as evidence; NaN when the page has neither headings nor a title."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "kw_heading_share"

CASES = [
    ("", float("nan"), []),
    # no heading (every line ends in a full stop) and no title
    ("Tea is good. We drink tea.", float("nan"), []),
    # top word "tea" (2), the one heading lacks it
    ("Opening hours\nWe drink tea, and tea is good.", 0.0, []),
    # Version 2: the keyword as a whole word: "tea" inside "Instead" is no hit
    ("Instead of coffee\nWe drink tea, and tea is good.", 0.0, []),
    # one heading of two holds "tea" (3 times on the page)
    ("Green tea\nWe drink tea, and tea is good.\nOpening hours\nWe open at nine.", 0.5, ["Green tea"]),
    # matching ignores case: both headings hold it
    ("TEA TIME\nWe drink tea daily.\nIced tea\nIt is cold.", 1.0, ["TEA TIME", "Iced tea"]),
    # headings but no content word on the page: no top word, share 0
    ("All of them\nIt was so.", 0.0, []),
    # the title counts as one more heading: title and "Green tea" hit, "Opening hours" misses
    ("<html><head><title>Tea house</title></head><body><h2>Green tea</h2><p>We drink tea, and tea is good.</p>"
     "<h2>Opening hours</h2><p>We open at nine.</p></body></html>", 2 / 3, ["Green tea"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
