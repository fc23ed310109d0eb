"""Properties that hold for any input: fractions stay in [0, 1], nothing raises, empty text gives 0 or NaN."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seospam.errors import InputError
from seospam.features import extract, feature_names
from seospam.inputs.edge import to_page
from seospam.inputs.page import Page

FRACTIONS = [n for n in feature_names() if n.endswith("_frac")]

words = st.sampled_from(["kratom", "safe", "and", "effective", "the", "study", "published", "in", "- ", "\n",
                         "K.R.S.", "cures", "anxiety", "alternative", "to", "medication", ".", "Buy", "now",
                         "$19", "near", "me", "Research", "suggests", "(", ")", "In", "conclusion", ","])
texts = st.one_of(st.text(max_size=400), st.lists(words, max_size=200).map(" ".join))


def test_empty_page_gives_zeros_or_missing():
    fs = extract(Page(text=""))
    assert all(v == 0 or math.isnan(v) for v in fs.values.values())
    assert fs.evidence == {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_fractions_in_unit_interval_and_finite(text):
    try:
        page = to_page(text)
    except InputError:
        return
    fs = extract(page)
    for name, v in fs.values.items():
        assert not math.isinf(v), name  # NaN is allowed: the input of the feature is absent
        assert not v < 0, name
    for name in FRACTIONS:
        assert not (fs.values[name] < 0 or fs.values[name] > 1), name
    for spans in fs.evidence.values():
        for s, e in spans:
            assert 0 <= s <= e <= len(page.text)
