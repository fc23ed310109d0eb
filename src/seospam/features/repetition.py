"""Repetition: Gopher statistics as continuous values, outline echo, paraphrase, compression.

Gopher (Rae et al. 2021, Table A1), as implemented in datatrove's ``GopherRepetitionFilter``: lines split on
``\\n+``; duplicate n-grams scanned left to right, counting an n-gram's characters and skipping n words when it has
been seen before. Paragraphs are the page's blocks (a dump has one paragraph a line, so ``\\n{2,}`` would find none).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np

from ..inputs.page import Page, normalize_key
from . import feature
from ._lex import sentence_words, word_set
from .basic import lines


def _dups(elements: list[str]) -> tuple[int, int]:
    seen: set[str] = set()
    n_dup = chars = 0
    for el in elements:
        if el in seen:
            n_dup += 1
            chars += len(el)
        else:
            seen.add(el)
    return n_dup, chars


def _dup_frac(elements: list[str]) -> tuple[float, float]:
    if not elements:
        return 0.0, 0.0
    n_dup, chars = _dups(elements)
    total = sum(map(len, elements))
    return n_dup / len(elements), (chars / total if total else 0.0)


@feature("rep_dup_line_frac", "share of lines that repeat an earlier line (Gopher cut 0.30)")
def dup_line_frac(page: Page) -> float:
    return _dup_frac([ln.strip() for ln in lines(page)])[0]


@feature("rep_dup_line_char_frac", "characters in repeated lines / all line characters (Gopher cut 0.20)")
def dup_line_char_frac(page: Page) -> float:
    return _dup_frac([ln.strip() for ln in lines(page)])[1]


def _sentence_keys(page: Page) -> list[str]:
    """Each sentence in compare form (case and spacing folded), for exact-duplicate counts."""
    text = page.text
    return [" ".join(text[s:e].split()).casefold() for s, e in page.sentences]


@feature("rep_dup_sent_frac", "share of sentences that repeat an earlier sentence word for word (Gopher's "
                              "duplicate-paragraph rule on sentences, so that line breaks do not matter)")
def dup_sent_frac(page: Page) -> float:
    keys = _sentence_keys(page)
    return _dup_frac(keys)[0] if keys else math.nan


@feature("rep_dup_sent_char_frac", "characters in repeated sentences / all sentence characters (Gopher cut 0.20 "
                                   "for paragraphs)")
def dup_sent_char_frac(page: Page) -> float:
    keys = _sentence_keys(page)
    return _dup_frac(keys)[1] if keys else math.nan


def ngram_hashes(page: Page, n: int) -> np.ndarray:
    """One int64 hash per word n-gram (position i covers words i..i+n-1), cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    key = ("_ngh", n)
    if key not in cache:
        h = page.word_hashes
        if n == 1 or len(h) < n:
            cache[key] = h if n == 1 else h[:0]
        else:
            prev = ngram_hashes(page, n - 1)
            # Polynomial combination; int64 overflow wraps, which is fine for hashing.
            with np.errstate(over="ignore"):
                cache[key] = prev[:-1] * np.int64(1_000_003) + h[n - 1:]
    return cache[key]


def word_len_cumsum(page: Page) -> np.ndarray:
    """Cumulative word lengths: characters of words i..j-1 = c[j] - c[i]."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_wlc" not in cache:
        c = np.zeros(len(page.words) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, page.words), dtype=np.int64, count=len(page.words)), out=c[1:])
        cache["_wlc"] = c
    return cache["_wlc"]


def _top_ngram_char_frac(page: Page, n: int) -> float:
    g = ngram_hashes(page, n)
    if len(g) == 0 or not page.text:
        return 0.0
    uniq, first, counts = np.unique(g, return_index=True, return_counts=True)
    top = counts.max()
    if top < 2:
        return 0.0
    # Ties go to the n-gram seen first, as with datatrove's Counter.most_common.
    i = int(first[counts == top].min())
    c = word_len_cumsum(page)
    k = int(np.flatnonzero(first == i)[0])
    chars = int(c[i + n] - c[i]) + (n - 1)  # datatrove joins the n-gram with spaces
    return min(1.0, chars * int(counts[k]) / len(page.text))


@feature("rep_top_2gram_char_frac", "characters in the most frequent word 2-gram / all characters (Gopher cut 0.20)")
def top_2gram(page: Page) -> float:
    return _top_ngram_char_frac(page, 2)


@feature("rep_top_3gram_char_frac", "characters in the most frequent word 3-gram / all characters (Gopher cut 0.18)")
def top_3gram(page: Page) -> float:
    return _top_ngram_char_frac(page, 3)


@feature("rep_top_4gram_char_frac", "characters in the most frequent word 4-gram / all characters (Gopher cut 0.16)")
def top_4gram(page: Page) -> float:
    return _top_ngram_char_frac(page, 4)


def _dup_ngram_char_frac(page: Page, n: int) -> float:
    """Gopher/datatrove ``find_all_duplicate``: n-grams joined without spaces, divided by the text length."""
    g = ngram_hashes(page, n)
    if len(g) == 0 or not page.text:
        return 0.0
    # Most n-grams are unique: only positions whose hash occurs twice or more need the sequential scan.
    uniq, inverse, counts = np.unique(g, return_inverse=True, return_counts=True)
    if counts.max() < 2:
        return 0.0
    c = word_len_cumsum(page)
    gl = g.tolist()
    multi = (counts[inverse] > 1).tolist()
    seen: set[int] = set()
    repeated = 0
    i, last = 0, len(gl)
    while i < last:
        if not multi[i]:
            i += 1
            continue
        h = gl[i]
        if h in seen:
            repeated += int(c[i + n] - c[i])
            i += n
        else:
            seen.add(h)
            i += 1
    return min(1.0, repeated / len(page.text))


def _register_dup_ngrams() -> None:
    # Gopher cuts fall linearly from 0.15 (n=5) to 0.10 (n=10).
    for n in range(5, 11):
        cut = 0.15 - 0.01 * (n - 5)

        def f(page: Page, n: int = n) -> float:
            return _dup_ngram_char_frac(page, n)

        feature(f"rep_dup_{n}gram_char_frac",
                f"characters in repeated word {n}-grams / all characters (Gopher cut {cut:.2f})")(f)


_register_dup_ngrams()


@feature("rep_outline_echo_count",
         "outline items repeated later on the page as headings (compared without bullets, dashes, colons, case)")
def outline_echo(page: Page) -> tuple[float, list[tuple[int, int]]]:
    """Count distinct list items whose normalised text comes back in a later block.

    The seeds' outline items come back as headings, and a dump may keep the outline's dash on the echo
    ("– An overview of…"), so any later block that is exactly an earlier item counts.
    """
    if not page.list_items:
        return math.nan, []
    first_item: dict[str, tuple[int, int]] = {}
    echoed: dict[str, list[tuple[int, int]]] = {}
    text = page.text
    for b in page.blocks:
        key = normalize_key(page.block_text(b))
        if len(key) < 8:
            continue
        line_start = text.rfind("\n", 0, b.start) + 1
        # A "- " line is an outline bullet; a repeated bullet is a repeated list, not an echo.
        if b.kind == "item" and text.startswith("- ", line_start):
            first_item.setdefault(key, (b.start, b.end))
        elif key in first_item:
            echoed.setdefault(key, [first_item[key]]).append((b.start, b.end))
    spans = [s for group in echoed.values() for s in group]
    return float(len(echoed)), spans


def content_words(words: list[str]) -> list[str]:
    """Words that carry content: not stopwords, not numbers, 3+ characters, with a plural ``s`` stripped."""
    out = []
    stop = word_set("stopwords")
    for w in words:
        if len(w) < 3 or w in stop or w.isdigit():
            continue
        if w.endswith("s") and not w.endswith("ss") and len(w) > 4:
            w = w[:-1]
        out.append(w)
    return out


def sentence_word_sets(page: Page, limit: int = 600) -> list[frozenset[str]]:
    """Content-word sets of the first ``limit`` sentences, cached per page."""
    cache = page.__dict__.setdefault("_lex_cache", {})
    if "_sent_sets" not in cache:
        cache["_sent_sets"] = [frozenset(content_words(ws)) for ws in sentence_words(page)[:limit]]
    return cache["_sent_sets"]


def _tokens(s: str) -> list[str]:
    from ..inputs.page import _WORD_RE

    return _WORD_RE.findall(s)


@feature("rep_paraphrase_sent_frac",
         "share of sentences that have a near-duplicate (same content words, reworded) elsewhere on the page")
def paraphrase_frac(page: Page, min_words: int = 5, min_jaccard: float = 0.35, min_shared: int = 4
                    ) -> tuple[float, list[tuple[int, int]]]:
    """Near-duplicate: content-word Jaccard ≥ ``min_jaccard`` with ≥ ``min_shared`` shared content words.

    Thresholds were set on ../shared (seeds against NIH and news pages); see tests/test_features_real.py.
    """
    sets = sentence_word_sets(page)
    n = len(sets)
    if n < 2:
        return math.nan, []
    index: dict[str, list[int]] = {}
    hit = [False] * n
    for i, s in enumerate(sets):
        if len(s) >= min_words:
            overlap: Counter[int] = Counter()
            for w in s:
                for j in index.get(w, ()):
                    overlap[j] += 1
            for j, shared in overlap.items():
                if shared >= min_shared and shared / (len(s) + len(sets[j]) - shared) >= min_jaccard:
                    hit[i] = hit[j] = True
            for w in s:
                index.setdefault(w, []).append(i)
    sents = page.sentences
    spans = [sents[i] for i in range(n) if hit[i]]
    return sum(hit) / n, spans


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


@feature("rep_first_last_sim", "cosine similarity of the content words of the first and last three sentences "
                               "(an introduction the conclusion repeats)")
def first_last_sim(page: Page, k: int = 3) -> tuple[float, list[tuple[int, int]]]:
    """Sentences rather than paragraphs, so that a page joined into one block keeps its value; NaN below 2k."""
    sents = sentence_words(page)
    if len(sents) < 2 * k:
        return math.nan, []
    a = Counter(content_words([w for ws in sents[:k] for w in ws]))
    b = Counter(content_words([w for ws in sents[-k:] for w in ws]))
    sim = _cosine(a, b)
    spans = page.sentences
    return sim, ([spans[0], spans[k - 1], spans[-k], spans[-1]] if sim >= 0.5 else [])


@feature("rep_compression_ratio", "raw size / zlib-compressed size (Ntoulas et al. 2006; seeds 2.6-3.1)")
def compression_ratio(page: Page, max_chars: int = 200_000) -> float:
    raw = page.text[:max_chars].encode("utf-8", "replace")
    if len(raw) < 64:
        return math.nan
    return len(raw) / len(zlib.compress(raw, 6))
