"""The shared per-page analysis: everything a feature reads, computed at most once per page.

A feature's ``compute`` takes an :class:`Analysis`, never a bare :class:`~seospam.inputs.page.Page`, and never re-tokenises
or re-scans the text itself: tokens and sentences come from the page, and the lexicon hits of every lexicon come
from one walk of the token list (:func:`~seospam.features._lex.find_all`). Each property is computed on first use
and kept, so a page pays only for what its features read.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property

import numpy as np

from ..inputs.page import Block, Page
from ._lex import find_all, word_set

Span = tuple[int, int]

#: A phrase counts as repeated from this many occurrences (``kw_`` features; Yoast counts a keyphrase from 3).
MIN_PHRASE_REPEATS = 3
#: Lengths of the repeated phrases ``kw_`` features look at: search queries are 2-4 words.
PHRASE_LENGTHS = (2, 3, 4)


def is_content_word(w: str) -> bool:
    """A content word: 3+ characters, not a stopword, not a number (the one rule every feature uses)."""
    return len(w) >= 3 and w not in word_set("stopwords") and not w.isdigit()


def content_words(words: list[str]) -> list[str]:
    """The content words of ``words``, with a plural ``s`` stripped ("studies" stays, "effects" → "effect")."""
    out = []
    for w in words:
        if not is_content_word(w):
            continue
        if w.endswith("s") and not w.endswith("ss") and len(w) > 4:
            w = w[:-1]
        out.append(w)
    return out


def per_1k(count: float, n_words: int) -> float:
    """A count as a rate per 1,000 words (0 for an empty page)."""
    return 1000.0 * count / n_words if n_words else 0.0


class Analysis:
    """One page's tokens, sentences, lines, blocks, n-gram hashes and lexicon hits, shared by every feature."""

    def __init__(self, page: Page):
        self.page = page
        self.text: str = page.text
        self.title: str = page.title
        self.blocks: list[Block] = page.blocks
        self._ngrams: dict[int, np.ndarray] = {}
        self._unique: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    # -- straight from the page (tokenised once there) ------------------------------------------------------------
    @property
    def words(self) -> list[str]:
        """Lower-cased word tokens."""
        return self.page.words

    @property
    def token_spans(self) -> list[Span]:
        """(start, end) of each word token, aligned with :attr:`words`."""
        return self.page.token_spans

    @property
    def sentences(self) -> list[Span]:
        """(start, end) of each sentence."""
        return self.page.sentences

    @property
    def headings(self) -> list[Block]:
        """Heading blocks."""
        return self.page.headings

    @property
    def list_items(self) -> list[Block]:
        """List-item blocks."""
        return self.page.list_items

    def block_text(self, b: Block) -> str:
        """Text of one block."""
        return self.text[b.start:b.end]

    # -- derived, computed on first use -----------------------------------------------------------------------------
    @cached_property
    def n_words(self) -> int:
        """Number of word tokens."""
        return len(self.page.words)

    @cached_property
    def lines(self) -> list[str]:
        """Non-empty lines of the text."""
        return [ln for ln in self.text.split("\n") if ln.strip()]

    @cached_property
    def word_hashes(self) -> np.ndarray:
        """An int64 id per word token, in order of first occurrence."""
        return self.page.word_hashes

    @cached_property
    def word_len_cumsum(self) -> np.ndarray:
        """Cumulative word lengths: characters of words i..j-1 are ``c[j] - c[i]``."""
        words = self.words
        c = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)), out=c[1:])
        return c

    def ngram_hashes(self, n: int) -> np.ndarray:
        """One int64 hash per word n-gram (position i covers words i..i+n-1)."""
        got = self._ngrams.get(n)
        if got is None:
            h = self.word_hashes
            if n == 1 or len(h) < n:
                got = h if n == 1 else h[:0]
            else:
                # Polynomial combination of the (n-1)-gram hashes; int64 overflow wraps, which is fine for hashing.
                with np.errstate(over="ignore"):
                    got = self.ngram_hashes(n - 1)[:-1] * np.int64(1_000_003) + h[n - 1:]
            self._ngrams[n] = got
        return got

    def ngram_counts(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``np.unique`` of the n-gram hashes: (first position, inverse, count) of each distinct n-gram, shared by the
        top n-gram and duplicate n-gram features."""
        got = self._unique.get(n)
        if got is None:
            _, first, inverse, counts = np.unique(self.ngram_hashes(n), return_index=True, return_inverse=True,
                                                  return_counts=True)
            got = self._unique[n] = (first, inverse, counts)
        return got

    def has_repeated_ngram(self, n: int) -> bool:
        """Does some word n-gram occur twice? Every repeated n-gram starts with a repeated (n-1)-gram, so no
        repeated (n-1)-gram already answers no without looking at the n-grams (the prefix argument)."""
        if n > 1 and n - 1 in self._unique and not self.has_repeated_ngram(n - 1):
            return False
        counts = self.ngram_counts(n)[2]
        return bool(len(counts)) and int(counts.max()) >= 2

    @cached_property
    def lexicon_hits(self) -> dict[str, list[Span]]:
        """Per lexicon, the token ranges of its phrases, from one walk over the tokens for all lexicons."""
        return find_all(self.words)

    def hits(self, lexicon: str) -> list[Span]:
        """Token ranges where ``lexicon``'s phrases occur."""
        return self.lexicon_hits[lexicon]

    def char_spans(self, ranges: list[Span]) -> list[Span]:
        """Token index ranges as character spans of the text."""
        ts = self.token_spans
        return [(ts[i][0], ts[j - 1][1]) for i, j in ranges]

    def lexicon_spans(self, lexicon: str) -> list[Span]:
        """Character spans of ``lexicon``'s phrases."""
        return self.char_spans(self.hits(lexicon))

    @cached_property
    def sentence_of_token(self) -> list[int]:
        """For each token, the index of the sentence that holds it (-1 if none)."""
        sents, toks = self.sentences, self.token_spans
        if not sents or not toks:
            return [-1] * len(toks)
        starts = np.fromiter((s for s, _ in sents), dtype=np.int64, count=len(sents))
        ends = np.fromiter((e for _, e in sents), dtype=np.int64, count=len(sents))
        tok = np.fromiter((s for s, _ in toks), dtype=np.int64, count=len(toks))
        idx = np.searchsorted(starts, tok, side="right") - 1
        ok = (idx >= 0) & (tok < ends[np.maximum(idx, 0)])
        return np.where(ok, idx, -1).tolist()

    @cached_property
    def sentence_words(self) -> list[list[str]]:
        """The lower-cased words of each sentence."""
        out: list[list[str]] = [[] for _ in self.sentences]
        for w, s in zip(self.words, self.sentence_of_token):
            if s >= 0:
                out[s].append(w)
        return out

    def sentences_with(self, lexicon: str) -> dict[int, list[Span]]:
        """Sentence index → token ranges of ``lexicon``'s hits inside it."""
        sidx = self.sentence_of_token
        out: dict[int, list[Span]] = {}
        for i, j in self.hits(lexicon):
            s = sidx[i]
            if s >= 0:
                out.setdefault(s, []).append((i, j))
        return out

    @cached_property
    def content_flags(self) -> list[bool]:
        """Per token: is it a content word (:func:`is_content_word`)."""
        return [is_content_word(w) for w in self.words]

    @cached_property
    def top_keyword(self) -> tuple[str, int]:
        """The most frequent content word and its count (the stand-in for a Yoast focus keyphrase)."""
        counts = Counter(w for w, c in zip(self.words, self.content_flags) if c)
        return counts.most_common(1)[0] if counts else ("", 0)

    @cached_property
    def repeated_phrases(self) -> dict[tuple[str, ...], list[int]]:
        """Start positions of every 2-4 word phrase with content words at both ends, seen 3+ times."""
        w = self.words
        content = np.asarray(self.content_flags, dtype=bool)
        out: dict[tuple[str, ...], list[int]] = {}
        for k in PHRASE_LENGTHS:
            g = self.ngram_hashes(k)
            if len(g) == 0:
                break
            ok = content[:len(g)] & content[k - 1:]
            pos = np.flatnonzero(ok)
            if len(pos) < MIN_PHRASE_REPEATS:
                continue
            _, inverse, counts = np.unique(g[pos], return_inverse=True, return_counts=True)
            for p in pos[counts[inverse] >= MIN_PHRASE_REPEATS].tolist():
                out.setdefault(tuple(w[p:p + k]), []).append(p)
        return out

    @cached_property
    def sentence_keys(self) -> list[str]:
        """Each sentence in compare form (case and spacing folded), for exact-duplicate counts."""
        text = self.text
        return [" ".join(text[s:e].split()).casefold() for s, e in self.sentences]

