"""Lexicons (package data) and a linear-time phrase matcher over a page's tokens.

Lexicon files hold one phrase a line; ``#`` starts a comment. A trailing ``*`` on the last word matches any word
that starts with it (``alleviat*``). Matching walks the token list once and looks phrases up by their first word,
so it is linear in the page length and has no regular expression that could backtrack.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..inputs.page import Page


#: Lexicons that are word lists looked up one word at a time, not phrases to match.
WORD_LISTS = ("search_modifiers", "standard_dotted", "stopwords")


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
    """The (cached) matcher for one lexicon."""
    return PhraseMatcher(load_lexicon(name))


def _phrase_lexicons() -> list[str]:
    """Every lexicon file, matched together in one pass over a page."""
    names = [p.name[:-4] for p in resources.files(__package__).joinpath("lexicons").iterdir()
             if p.name.endswith(".txt")]
    return sorted(n for n in names if n not in WORD_LISTS)


class _Combined:
    """All lexicons' phrases indexed by first word, so one walk over the tokens serves every lexicon."""

    def __init__(self) -> None:
        self.names = _phrase_lexicons()
        self.exact: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self.prefixes: list[tuple[str, int, tuple[str, ...]]] = []
        for k, name in enumerate(self.names):
            m = matcher(name)
            for first, rests in m.exact.items():
                self.exact.setdefault(first, []).extend((k, r) for r in rests)
            for entries in m.prefix.values():
                self.prefixes.extend((stem, k, rest) for stem, rest in entries)
        self._word_cache: dict[str, list[tuple[int, tuple[str, ...]]]] = {}

    def candidates(self, w: str) -> list[tuple[int, tuple[str, ...]]]:
        """(lexicon index, rest of phrase) for phrases that may start at word ``w`` (memoised per word)."""
        got = self._word_cache.get(w)
        if got is None:
            got = list(self.exact.get(w, ()))
            got.extend((k, rest) for stem, k, rest in self.prefixes if w.startswith(stem))
            if len(self._word_cache) < 500_000:
                self._word_cache[w] = got
        return got

    def find_all(self, words: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Per lexicon, non-overlapping token ranges, longest match first at each position."""
        best: list[dict[int, int]] = [{} for _ in self.names]
        cache, cand = self._word_cache, self.candidates
        # The hot loop of feature extraction: most words start no phrase, so the memo is read inline and a word
        # with no candidates costs one dict lookup (issue 10).
        for i, w in enumerate(words):
            got = cache.get(w)
            if got is None:
                got = cand(w)
            if not got:
                continue
            for k, rest in got:
                if not rest:
                    j = i + 1
                elif _match_rest(words, i + 1, rest):
                    j = i + 1 + len(rest)
                else:
                    continue
                bk = best[k]
                if j > bk.get(i, 0):
                    bk[i] = j
        out: dict[str, list[tuple[int, int]]] = {}
        for k, name in enumerate(self.names):
            ranges, last_end = [], 0
            for i in sorted(best[k]):
                if i >= last_end:
                    ranges.append((i, best[k][i]))
                    last_end = best[k][i]
            out[name] = ranges
        return out


@lru_cache(maxsize=1)
def _combined() -> _Combined:
    return _Combined()


def matches(page: Page, lexicon: str) -> list[tuple[int, int]]:
    """Token ranges where ``lexicon`` phrases occur in the page (all lexicons found in one cached pass)."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_lex_all" not in cache:
        cache["_lex_all"] = _combined().find_all(page.words)
    return cache["_lex_all"][lexicon]


def token_ranges_to_spans(page: Page, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token index ranges as character spans of the page text."""
    ts = page.token_spans
    return [(ts[i][0], ts[j - 1][1]) for i, j in ranges]


def lexicon_spans(page: Page, lexicon: str) -> list[tuple[int, int]]:
    """Character spans of ``lexicon``'s phrases in the page."""
    return token_ranges_to_spans(page, matches(page, lexicon))


def sentence_index(page: Page) -> list[int]:
    """For each token, the index of the sentence that holds it (-1 for headings), cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_sent_of_tok" not in cache:
        import numpy as np

        sents = page.sentences
        if not sents or not page.token_spans:
            cache["_sent_of_tok"] = [-1] * len(page.token_spans)
        else:
            starts = np.fromiter((s for s, _ in sents), dtype=np.int64, count=len(sents))
            ends = np.fromiter((e for _, e in sents), dtype=np.int64, count=len(sents))
            tok = np.fromiter((s for s, _ in page.token_spans), dtype=np.int64, count=len(page.token_spans))
            idx = np.searchsorted(starts, tok, side="right") - 1
            ok = (idx >= 0) & (tok < ends[np.maximum(idx, 0)])
            cache["_sent_of_tok"] = np.where(ok, idx, -1).tolist()
    return cache["_sent_of_tok"]


def sentence_words(page: Page) -> list[list[str]]:
    """The lower-cased words of each sentence, from the page's one tokenisation, cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_sent_words" not in cache:
        out: list[list[str]] = [[] for _ in page.sentences]
        for w, s in zip(page.words, sentence_index(page)):
            if s >= 0:
                out[s].append(w)
        cache["_sent_words"] = out
    return cache["_sent_words"]


def content_flags(page: Page) -> list[bool]:
    """Per token: a content word (3+ characters, not a stopword, not a number), cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_content" not in cache:
        stop = word_set("stopwords")
        cache["_content"] = [len(w) >= 3 and w not in stop and not w.isdigit() for w in page.words]
    return cache["_content"]


def per_1k(count: float, page: Page) -> float:
    """A count as a rate per 1,000 words (0 for an empty page)."""
    n = len(page.words)
    return 1000.0 * count / n if n else 0.0
