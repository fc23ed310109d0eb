"""promo_testimonial_count: testimonial cues: phrases ('verified buyer'), star ratings (3-5 stars, 4 or 5 out of
5) and signed quotes ('— Mark, Ohio'), counted."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "promo_testimonial_count"

CASES = [
    ("", 0.0, []),
    ("I recommend it.", 0.0, []),
    ("Verified buyer.", 1.0, ["Verified buyer"]),
    ("I highly recommend it.", 1.0, ["I highly recommend"]),
    ("★★★★★ Great tea.", 1.0, ["★★★★★"]),
    ("Rated 4.5/5 by users.", 1.0, ["4.5/5"]),
    ('"It changed my life." — Mark, Ohio', 2.0, ["changed my life", '" — Mark, Ohio']),
    # Near-misses: two stars, a 3 of 5, a score out of 10.
    ("★★ meh. Rated 3 out of 5. Rated 5/10.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
