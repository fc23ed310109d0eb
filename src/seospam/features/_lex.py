"""Lexicons (package data) and a linear-time phrase matcher over a page's tokens.

Lexicon files hold one phrase a line; ``#`` starts a comment. A trailing ``*`` on the last word matches any word
that starts with it (``alleviat*``). Matching walks the token list once and looks phrases up by their first word,
so it is linear in the page length and has no regular expression that could backtrack.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..page import Page


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> tuple[str, ...]:
    """Phrases of ``lexicons/<name>.txt``, lower-cased, comments and blanks removed."""
    raw = resources.files(__package__).joinpath("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.append(line)
    return tuple(out)


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    """A single-word lexicon as a set."""
    return frozenset(load_lexicon(name))


class PhraseMatcher:
    """Finds lexicon phrases in a page's lower-cased tokens, returning token index ranges."""

    def __init__(self, phrases: tuple[str, ...]):
        self.exact: dict[str, list[tuple[str, ...]]] = {}
        self.prefix: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for p in phrases:
            words = tuple(_words(p))
            if not words:
                continue
            first = words[0]
            if first.endswith("*"):
                stem = first[:-1]
                self.prefix.setdefault(stem[:3], []).append((stem, words[1:]))
            else:
                self.exact.setdefault(first, []).append(words[1:])
        self.max_len = max((len(_words(p)) for p in phrases), default=1)

    def find(self, words: list[str]) -> list[tuple[int, int]]:
        """Token ranges ``(i, j)`` of non-overlapping matches, longest first at each position."""
        out: list[tuple[int, int]] = []
        i, n = 0, len(words)
        while i < n:
            w = words[i]
            best = 0
            for rest in self.exact.get(w, ()):
                if len(rest) + 1 > best and _match_rest(words, i + 1, rest):
                    best = len(rest) + 1
            for stem, rest in self.prefix.get(w[:3], ()):
                if w.startswith(stem) and len(rest) + 1 > best and _match_rest(words, i + 1, rest):
                    best = len(rest) + 1
            if best:
                out.append((i, i + best))
                i += best
            else:
                i += 1
        return out


def _words(p: str) -> list[str]:
    # Lexicon phrases are tokenised like page text ("non-addictive" → "non", "addictive").
    import re

    return re.findall(r"[\w*]+(?:['’]\w+)?", p.lower())


def _match_rest(words: list[str], i: int, rest: tuple[str, ...]) -> bool:
    if i + len(rest) > len(words):
        return False
    for k, r in enumerate(rest):
        w = words[i + k]
        if r.endswith("*"):
            if not w.startswith(r[:-1]):
                return False
        elif w != r:
            return False
    return True


@lru_cache(maxsize=None)
def matcher(name: str) -> PhraseMatcher:
    """The (cached) matcher for a lexicon."""
    return PhraseMatcher(load_lexicon(name))


def matches(page: Page, lexicon: str) -> list[tuple[int, int]]:
    """Token ranges where ``lexicon`` phrases occur in the page, cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if lexicon not in cache:
        cache[lexicon] = matcher(lexicon).find(page.words)
    return cache[lexicon]


def char_span(page: Page, i: int, j: int) -> tuple[int, int]:
    """Character span of tokens ``i`` to ``j`` (exclusive)."""
    return page.token_spans[i][0], page.token_spans[j - 1][1]


def sentence_index(page: Page) -> list[int]:
    """For each token, the index of the sentence that holds it (-1 for headings), cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_sent_of_tok" not in cache:
        out = [-1] * len(page.token_spans)
        sents = page.sentences
        k = 0
        for t, (s, _e) in enumerate(page.token_spans):
            while k < len(sents) and sents[k][1] <= s:
                k += 1
            if k < len(sents) and sents[k][0] <= s:
                out[t] = k
        cache["_sent_of_tok"] = out
    return cache["_sent_of_tok"]


def per_1k(count: float, page: Page) -> float:
    """A count as a rate per 1,000 words (0 for an empty page)."""
    n = len(page.words)
    return 1000.0 * count / n if n else 0.0
