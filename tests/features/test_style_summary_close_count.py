"""style_summary_close_count: sentences that open with a wrap-up phrase from lexicons/summary_openers.txt
('In conclusion', 'Overall', 'The bottom line'), counted with the span of the phrase; the same phrase inside a
sentence does not count."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "style_summary_close_count"

CASES = [
    ("", 0.0, []),
    ("Tea is warm.", 0.0, []),
    ("Tea is warm. In conclusion, drink it.", 1.0, ["In conclusion"]),
    # two wrap-ups, after a "?" and after a full stop
    ("Is tea good? Overall, yes. Ultimately it is a drink.", 2.0, ["Overall", "Ultimately"]),
    # the longest phrase wins: "The bottom line", not also "bottom line"
    ("The bottom line is simple.", 1.0, ["The bottom line"]),
    # near miss: the phrase in the middle of a sentence
    ("Tea is, overall, warm. It helps in short bursts.", 0.0, []),
    # a heading line opens the page's first sentence
    ("Final thoughts\nDrink tea.", 1.0, ["Final thoughts"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
