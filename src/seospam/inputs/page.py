"""The :class:`Page` every feature sees: text plus structure (:class:`Block`), tokenised once and shared.

Both plain-text dumps and HTML end up in this shape: ``text`` is a line-oriented dump (headings as bare lines, list
items as ``- `` lines, one paragraph a line), and ``blocks`` index into it, so every evidence span is an offset
into ``page.text``. :func:`seospam.inputs.edge.to_page` builds one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Words beyond this many are not tokenised: every feature is a rate, and the first 200k words decide it.
MAX_TOKENS = 200_000

_WORD_RE = re.compile(r"\w+(?:['’]\w+)?")
_GLYPHS = "-*•●▪◦–—:;. \t"
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]{0,3}(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, list item or paragraph: ``page.text[start:end]`` is its text, without any bullet glyph."""

    kind: str  # "heading" | "item" | "para"
    start: int
    end: int


@dataclass
class Page:
    """A page as every feature sees it: text plus structure, tokenised once and shared."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    title: str = ""
    meta_description: str = ""
    links: list[str] = field(default_factory=list)
    url: str | None = None
    source_format: str = "text"
    truncated: bool = False
    id: str | None = None

    def block_text(self, b: Block) -> str:
        """Text of one block."""
        return self.text[b.start:b.end]

    @cached_property
    def headings(self) -> list[Block]:
        """Heading blocks in page order."""
        return [b for b in self.blocks if b.kind == "heading"]

    @cached_property
    def list_items(self) -> list[Block]:
        """List-item blocks in page order."""
        return [b for b in self.blocks if b.kind == "item"]

    @cached_property
    def paragraphs(self) -> list[Block]:
        """Paragraph blocks in page order."""
        return [b for b in self.blocks if b.kind == "para"]

    @cached_property
    def token_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every word token, capped at :data:`MAX_TOKENS`."""
        return [m.span() for m in islice(_WORD_RE.finditer(self.text), MAX_TOKENS)]

    @cached_property
    def word_hashes(self) -> "np.ndarray":
        """An int64 id per word token (aligned with :attr:`words`), for fast n-gram statistics.

        Ids are given in order of first occurrence, not by ``hash()``, whose per-process salt would make tie-breaks
        (and so feature values) differ between runs.
        """
        import numpy as np

        vocab: dict[str, int] = {}
        return np.fromiter((vocab.setdefault(w, len(vocab)) for w in self.words), dtype=np.int64,
                           count=len(self.words))

    @cached_property
    def words(self) -> list[str]:
        """Lower-cased word tokens, aligned with :attr:`token_spans`."""
        t = self.text
        return [t[s:e].lower() for s, e in self.token_spans]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence, found by sentence punctuation across the whole text.

        Line breaks and block boundaries do not end a sentence, so a page keeps the same sentences whether it
        arrives with its line breaks or as one block (a heading without a full stop joins the sentence after it).
        A run of more than :data:`MAX_SENTENCE_WORDS` words without punctuation is cut into pieces of that size.
        """
        text = self.text
        spans: list[tuple[int, int]] = []
        start = 0
        for m in _SENT_END.finditer(text):
            end = m.end()
            if text[start:end].strip():
                spans.append(_strip_span(text, start, end))
            start = end
        if start < len(text) and text[start:].strip():
            spans.append(_strip_span(text, start, len(text)))
        return _cap_sentences(spans, self.token_spans)


#: A "sentence" longer than this many words (a list or menu with no punctuation) is cut into pieces.
MAX_SENTENCE_WORDS = 80


def _cap_sentences(spans: list[tuple[int, int]], tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut sentences of more than :data:`MAX_SENTENCE_WORDS` tokens into pieces of at most that many."""
    from bisect import bisect_left

    starts = [s for s, _ in tokens]
    out: list[tuple[int, int]] = []
    for s, e in spans:
        i, j = bisect_left(starts, s), bisect_left(starts, e)
        if j - i <= MAX_SENTENCE_WORDS:
            out.append((s, e))
            continue
        for k in range(i, j, MAX_SENTENCE_WORDS):
            last = min(k + MAX_SENTENCE_WORDS, j) - 1
            piece_start = s if k == i else tokens[k][0]
            piece_end = e if last == j - 1 else tokens[last][1]
            out.append((piece_start, piece_end))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def normalize_key(s: str) -> str:
    """Compare form of a heading or outline item: bullets, dashes, trailing colons and case stripped."""
    s = s.strip().strip(_GLYPHS).strip()
    s = re.sub(r"\s+", " ", s)
    return s.casefold()

