"""Fuzzing the whole path (input edge → features → score) with arbitrary bytes, unicode and HTML fragments."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seospam.errors import InputError
from seospam.inputs.edge import to_page
from seospam.model.persist import load_model
from seospam.model.scoring import score_pages

MODEL = load_model()

TAGS = ["<html>", "</html>", "<body>", "<div>", "</div>", "<p>", "</p>", "<h2>", "</h2>", "<ul>", "<li>", "</li>",
        "<br>", "<script>", "</script>", "<!--", "-->", "<meta charset='shift_jis'>", "&amp;", "&#0;", "&#xD800;",
        "<a href='javascript:x'>", "<title>", "</title>", "<table><tr><td>", "<![CDATA[", "]]>", "<svg>", "\x00"]
fragments = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=40)), max_size=60).map("".join)
inputs = st.one_of(st.binary(max_size=3000), st.text(max_size=3000), fragments,
                   fragments.map(lambda s: s.encode("utf-8", "surrogatepass")))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs)
def test_whole_path_never_raises_unexpectedly(data):
    try:
        page = to_page(data)
    except InputError:
        return
    res = score_pages([page], MODEL)[0]
    assert 0.0 <= res.score <= 1.0
    for r in res.reasons:
        for ev in r["evidence"]:
            assert page.text[ev["start"]:ev["end"]] == ev["text"]
