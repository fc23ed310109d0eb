"""The input edge: every kind of input becomes a Page with consistent block offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from seospam.errors import InputError
from seospam.inputs.edge import MAX_TEXT_CHARS, to_page
from seospam.inputs.page import Page, normalize_key

DUMP = """A short meta description of the page.
Introduction to the Topic
This is the first paragraph. It has two sentences.
- First outline item
- – Nested outline item:
What Comes Next?
Another paragraph here, ending with a full stop.
"""


def check_blocks(page: Page) -> None:
    for b in page.blocks:
        assert 0 <= b.start < b.end <= len(page.text)
        assert page.text[b.start:b.end] == page.text[b.start:b.end].strip()


def test_text_dump_structure():
    page = to_page(DUMP)
    check_blocks(page)
    kinds = [(b.kind, page.block_text(b)) for b in page.blocks]
    assert ("heading", "Introduction to the Topic") in kinds
    assert ("heading", "What Comes Next?") in kinds
    assert ("item", "First outline item") in kinds
    assert ("item", "Nested outline item:") in kinds
    assert kinds[0][0] == "para"
    assert page.source_format == "text"
    # Offsets of a text dump are offsets into the input itself.
    assert page.text == DUMP


def test_html_structure_and_metadata():
    html = """<!doctype html><html><head><title>Kava guide</title>
    <meta name="description" content="All about kava."></head><body>
    <nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
    <h1>Kava &amp; sleep</h1><p>Kava is a plant.<br>It is drunk as tea.</p>
    <ul><li>Item one</li><li>Item <b>two</b></li></ul><footer>(c) 2026</footer></body></html>"""
    page = to_page(html)
    check_blocks(page)
    assert page.source_format == "html"
    assert page.title == "Kava guide"
    assert page.meta_description == "All about kava."
    assert [page.block_text(b) for b in page.headings] == ["Kava & sleep"]
    assert [page.block_text(b) for b in page.list_items] == ["Item one", "Item two"]
    assert "Home" not in page.text  # nav is boilerplate
    assert "(c) 2026" not in page.text
    assert "/shop" in page.links


def test_bytes_in_unknown_charset():
    text = "Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9: \u00fcber se\u00f1or. " * 20
    page = to_page(text.encode("cp1252"))
    assert "Café crème" in page.text


def test_record_and_path(tmp_path: Path):
    rec = {"id": "r1", "url": "https://example.org/x", "html": "<p>Hello there, world.</p>"}
    page = to_page(rec)
    assert page.id == "r1" and page.url == "https://example.org/x" and "Hello there" in page.text
    f = tmp_path / "p.html"
    f.write_text("<html><body><h2>Title here</h2><p>Body text.</p></body></html>")
    fpage = to_page(f)
    assert [fpage.block_text(b) for b in fpage.headings] == ["Title here"]
    assert to_page(page) is page


@pytest.mark.parametrize("bad", ["", "   \n\t ", b"", b"\x00\x01\x02\x03" * 500, {"id": "x"}, 42])
def test_unreadable_input_raises_input_error(bad):
    with pytest.raises(InputError):
        to_page(bad)


def test_missing_file_is_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        to_page(tmp_path / "nope.txt")


def test_nul_separated_text_is_read():
    page = to_page("kratom\x00is\x00a\x00tree\x00from\x00Southeast\x00Asia. " * 10)
    assert "Southeast" in page.text and "\x00" not in page.text


def test_huge_text_is_truncated_and_flagged():
    page = to_page("word " * (MAX_TEXT_CHARS // 5 + 1000))
    assert page.truncated and len(page.text) <= MAX_TEXT_CHARS


def test_normalize_key_strips_bullets_dashes_colons_case():
    assert normalize_key("– Understanding Kava:") == normalize_key("understanding kava") == "understanding kava"


def test_trafilatura_extractor_gives_the_same_shape(monkeypatch):
    """The optional extractor (the [trafilatura] extra, installed with [dev]) yields headings, items, paragraphs."""
    html = ("<html><head><title>Kava guide</title></head><body><nav>Home Shop</nav><article>"
            "<h1>Kava Guide For You</h1><p>Kava is a plant. It is drunk as tea in Fiji and has been for centuries.</p>"
            "<ul><li>Item one about kava</li><li>Item two about kava</li></ul><h2>Second Part Here</h2>"
            "<p>More text here about kava root and its long history in the islands.</p></article>"
            "<footer>(c) 2026</footer></body></html>")
    monkeypatch.setenv("SEOSPAM_EXTRACTOR", "trafilatura")
    page = to_page(html)
    check_blocks(page)
    assert [page.block_text(b) for b in page.headings] == ["Kava Guide For You", "Second Part Here"]
    assert [page.block_text(b) for b in page.list_items] == ["Item one about kava", "Item two about kava"]
    assert page.title == "Kava guide" and "Home Shop" not in page.text
    monkeypatch.setenv("SEOSPAM_EXTRACTOR", "nonsense")
    with pytest.raises(InputError, match="unknown extractor"):
        to_page(html)
