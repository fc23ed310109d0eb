"""Repetition: Gopher statistics as continuous values, outline echo, paraphrase, compression.

Gopher (Rae et al. 2021, Table A1), as implemented in datatrove's ``GopherRepetitionFilter``: lines split on
``\\n+``; duplicate n-grams scanned left to right, counting an n-gram's characters and skipping n words when it has
been seen before. Paragraphs are the page's blocks (a dump has one paragraph a line, so ``\\n{2,}`` would find none).
The Gopher cuts are given as parameters for reference: the values are continuous and the cut is the model's to learn.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..inputs.page import normalize_key
from . import Feature, param, register
from .analysis import Analysis, content_words

GOPHER = "Gopher (Rae et al. 2021, Table A1); datatrove GopherRepetitionFilter"
Spans = list[tuple[int, int]]


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


@register
@dataclass(frozen=True)
class DupLineFrac(Feature):
    name = "rep_dup_line_frac"
    description = "share of lines that repeat an earlier line (Gopher cut 0.30)"
    source = GOPHER
    gopher_cut: float = param(0.30, "Gopher dup_line_frac 0.30")

    def compute(self, a: Analysis) -> float:
        return _dup_frac([ln.strip() for ln in a.lines])[0]


@register
@dataclass(frozen=True)
class DupLineCharFrac(Feature):
    name = "rep_dup_line_char_frac"
    description = "characters in repeated lines / all line characters (Gopher cut 0.20)"
    source = GOPHER
    gopher_cut: float = param(0.20, "Gopher dup_line_char_frac 0.20")

    def compute(self, a: Analysis) -> float:
        return _dup_frac([ln.strip() for ln in a.lines])[1]


@register
@dataclass(frozen=True)
class DupSentFrac(Feature):
    name = "rep_dup_sent_frac"
    description = ("share of sentences that repeat an earlier sentence word for word (Gopher's "
                   "duplicate-paragraph rule on sentences, so that line breaks do not matter)")
    source = GOPHER + ", duplicate paragraphs, applied to sentences"
    gopher_cut: float = param(0.30, "Gopher dup_para_frac 0.30")

    def compute(self, a: Analysis) -> float:
        keys = a.sentence_keys
        return _dup_frac(keys)[0] if keys else math.nan


@register
@dataclass(frozen=True)
class DupSentCharFrac(Feature):
    name = "rep_dup_sent_char_frac"
    description = ("characters in repeated sentences / all sentence characters (Gopher cut 0.20 "
                   "for paragraphs)")
    source = GOPHER + ", duplicate paragraph characters, applied to sentences"
    gopher_cut: float = param(0.20, "Gopher dup_para_char_frac 0.20")

    def compute(self, a: Analysis) -> float:
        keys = a.sentence_keys
        return _dup_frac(keys)[1] if keys else math.nan


def _top_ngram_char_frac(a: Analysis, n: int) -> float:
    if len(a.ngram_hashes(n)) == 0 or not a.text:
        return 0.0
    first, _, counts = a.ngram_counts(n)
    top = counts.max()
    if top < 2:
        return 0.0
    # Ties go to the n-gram seen first, as with datatrove's Counter.most_common.
    i = int(first[counts == top].min())
    c = a.word_len_cumsum
    k = int(np.flatnonzero(first == i)[0])
    chars = int(c[i + n] - c[i]) + (n - 1)  # datatrove joins the n-gram with spaces
    return min(1.0, chars * int(counts[k]) / len(a.text))


@dataclass(frozen=True)
class _TopNgram(Feature):
    """Gopher's top n-gram rule: characters of the most frequent n-gram times its count, over all characters."""

    n: int = 2
    gopher_cut: float = 0.20

    def compute(self, a: Analysis) -> float:
        return _top_ngram_char_frac(a, self.n)


@register
@dataclass(frozen=True)
class Top2gramCharFrac(_TopNgram):
    name = "rep_top_2gram_char_frac"
    description = "characters in the most frequent word 2-gram / all characters (Gopher cut 0.20)"
    source = GOPHER
    n: int = param(2, "Gopher top_n_grams (2, 0.20)")
    gopher_cut: float = param(0.20, "Gopher top_n_grams (2, 0.20)")


@register
@dataclass(frozen=True)
class Top3gramCharFrac(_TopNgram):
    name = "rep_top_3gram_char_frac"
    description = "characters in the most frequent word 3-gram / all characters (Gopher cut 0.18)"
    source = GOPHER
    n: int = param(3, "Gopher top_n_grams (3, 0.18)")
    gopher_cut: float = param(0.18, "Gopher top_n_grams (3, 0.18)")


@register
@dataclass(frozen=True)
class Top4gramCharFrac(_TopNgram):
    name = "rep_top_4gram_char_frac"
    description = "characters in the most frequent word 4-gram / all characters (Gopher cut 0.16)"
    source = GOPHER
    n: int = param(4, "Gopher top_n_grams (4, 0.16)")
    gopher_cut: float = param(0.16, "Gopher top_n_grams (4, 0.16)")


def _dup_ngram_char_frac(a: Analysis, n: int) -> float:
    """Gopher/datatrove ``find_all_duplicate``: n-grams joined without spaces, divided by the text length."""
    g = a.ngram_hashes(n)
    if len(g) == 0 or not a.text or not a.has_repeated_ngram(n):
        return 0.0
    # Most n-grams are unique: only positions whose hash occurs twice or more need the sequential scan.
    _, inverse, counts = a.ngram_counts(n)
    c = a.word_len_cumsum
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
    return min(1.0, repeated / len(a.text))


@dataclass(frozen=True)
class _DupNgram(Feature):
    """Gopher's duplicate n-gram rule; its cuts fall linearly from 0.15 (n=5) to 0.10 (n=10)."""

    n: int = 5
    gopher_cut: float = 0.15

    def compute(self, a: Analysis) -> float:
        return _dup_ngram_char_frac(a, self.n)


@register
@dataclass(frozen=True)
class Dup5gramCharFrac(_DupNgram):
    name = "rep_dup_5gram_char_frac"
    description = "characters in repeated word 5-grams / all characters (Gopher cut 0.15)"
    source = GOPHER
    n: int = param(5, "Gopher dup_n_grams (5, 0.15)")
    gopher_cut: float = param(0.15, "Gopher dup_n_grams (5, 0.15)")


@register
@dataclass(frozen=True)
class Dup6gramCharFrac(_DupNgram):
    name = "rep_dup_6gram_char_frac"
    description = "characters in repeated word 6-grams / all characters (Gopher cut 0.14)"
    source = GOPHER
    n: int = param(6, "Gopher dup_n_grams (6, 0.14)")
    gopher_cut: float = param(0.14, "Gopher dup_n_grams (6, 0.14)")


@register
@dataclass(frozen=True)
class Dup7gramCharFrac(_DupNgram):
    name = "rep_dup_7gram_char_frac"
    description = "characters in repeated word 7-grams / all characters (Gopher cut 0.13)"
    source = GOPHER
    n: int = param(7, "Gopher dup_n_grams (7, 0.13)")
    gopher_cut: float = param(0.13, "Gopher dup_n_grams (7, 0.13)")


@register
@dataclass(frozen=True)
class Dup8gramCharFrac(_DupNgram):
    name = "rep_dup_8gram_char_frac"
    description = "characters in repeated word 8-grams / all characters (Gopher cut 0.12)"
    source = GOPHER
    n: int = param(8, "Gopher dup_n_grams (8, 0.12)")
    gopher_cut: float = param(0.12, "Gopher dup_n_grams (8, 0.12)")


@register
@dataclass(frozen=True)
class Dup9gramCharFrac(_DupNgram):
    name = "rep_dup_9gram_char_frac"
    description = "characters in repeated word 9-grams / all characters (Gopher cut 0.11)"
    source = GOPHER
    n: int = param(9, "Gopher dup_n_grams (9, 0.11)")
    gopher_cut: float = param(0.11, "Gopher dup_n_grams (9, 0.11)")


@register
@dataclass(frozen=True)
class Dup10gramCharFrac(_DupNgram):
    name = "rep_dup_10gram_char_frac"
    description = "characters in repeated word 10-grams / all characters (Gopher cut 0.10)"
    source = GOPHER
    n: int = param(10, "Gopher dup_n_grams (10, 0.10)")
    gopher_cut: float = param(0.10, "Gopher dup_n_grams (10, 0.10)")


@register
@dataclass(frozen=True)
class OutlineEchoCount(Feature):
    """Distinct list items whose normalised text comes back in a later block.

    The seeds' outline items come back as headings, and a dump may keep the outline's dash on the echo
    ("– An overview of…"), so any later block that is exactly an earlier item counts.
    """

    name = "rep_outline_echo_count"
    description = ("outline items repeated later on the page as headings (compared without bullets, dashes, colons, "
                   "case)")
    source = "seed pages: a generated outline whose items return as the section headings"
    min_chars: int = param(8, "shorter items ('FAQ', 'Dosage') are menu words, not outline items")

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        if not a.list_items:
            return math.nan, []
        first_item: dict[str, tuple[int, int]] = {}
        echoed: dict[str, Spans] = {}
        text = a.text
        for b in a.blocks:
            key = normalize_key(a.block_text(b))
            if len(key) < self.min_chars:
                continue
            line_start = text.rfind("\n", 0, b.start) + 1
            # A "- " line is an outline bullet; a repeated bullet is a repeated list, not an echo.
            if b.kind == "item" and text.startswith("- ", line_start):
                first_item.setdefault(key, (b.start, b.end))
            elif key in first_item:
                echoed.setdefault(key, [first_item[key]]).append((b.start, b.end))
        spans = [s for group in echoed.values() for s in group]
        return float(len(echoed)), spans


@register
@dataclass(frozen=True)
class ParaphraseSentFrac(Feature):
    """Near-duplicate: content-word Jaccard ≥ ``min_jaccard`` with ≥ ``min_shared`` shared content words.

    Exact set overlap through an inverted index, not MinHash: an estimate would change the feature's values.
    """

    name = "rep_paraphrase_sent_frac"
    description = "share of sentences that have a near-duplicate (same content words, reworded) elsewhere on the page"
    source = "near-duplicate detection by Jaccard overlap (Broder 1997), on content-word sets of sentences"
    min_words: int = param(5, "set on ../shared: seeds against NIH and news pages (tests/test_features_real.py)")
    min_jaccard: float = param(0.35, "set on ../shared: seeds against NIH and news pages")
    min_shared: int = param(4, "set on ../shared: seeds against NIH and news pages")
    max_sentences: int = param(600, "bounds the pairwise work on huge pages; the first 600 sentences decide")

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        sets = [frozenset(content_words(ws)) for ws in a.sentence_words[:self.max_sentences]]
        n = len(sets)
        if n < 2:
            return math.nan, []
        index: dict[str, list[int]] = {}
        hit = [False] * n
        for i, s in enumerate(sets):
            if len(s) >= self.min_words:
                overlap: Counter[int] = Counter()
                for w in s:
                    for j in index.get(w, ()):
                        overlap[j] += 1
                for j, shared in overlap.items():
                    if shared >= self.min_shared and shared / (len(s) + len(sets[j]) - shared) >= self.min_jaccard:
                        hit[i] = hit[j] = True
                for w in s:
                    index.setdefault(w, []).append(i)
        sents = a.sentences
        spans = [sents[i] for i in range(n) if hit[i]]
        return sum(hit) / n, spans


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


@register
@dataclass(frozen=True)
class FirstLastSim(Feature):
    """Sentences rather than paragraphs, so that a page joined into one block keeps its value; NaN below 2k."""

    name = "rep_first_last_sim"
    description = ("cosine similarity of the content words of the first and last three sentences "
                   "(an introduction the conclusion repeats)")
    source = "seed pages: a conclusion that restates the introduction"
    k: int = param(3, "an introduction and a conclusion are about three sentences each")
    evidence_at: float = param(0.5, "evidence is shown from a cosine of 0.5 (half the content words shared)")

    def compute(self, a: Analysis) -> tuple[float, Spans]:
        sents, k = a.sentence_words, self.k
        if len(sents) < 2 * k:
            return math.nan, []
        first = Counter(content_words([w for ws in sents[:k] for w in ws]))
        last = Counter(content_words([w for ws in sents[-k:] for w in ws]))
        sim = _cosine(first, last)
        spans = a.sentences
        return sim, ([spans[0], spans[k - 1], spans[-k], spans[-1]] if sim >= self.evidence_at else [])


@register
@dataclass(frozen=True)
class CompressionRatio(Feature):
    name = "rep_compression_ratio"
    description = "raw size / zlib-compressed size (Ntoulas et al. 2006; seeds 2.6-3.1)"
    source = "Ntoulas et al. (WWW 2006), 'Detecting spam web pages through content analysis': compressibility"
    max_chars: int = param(200_000, "the first 200k characters decide (bounds the cost on huge pages)")
    min_bytes: int = param(64, "below 64 bytes zlib's header dominates the ratio")
    level: int = param(6, "zlib's default level")

    def compute(self, a: Analysis) -> float:
        raw = a.text[:self.max_chars].encode("utf-8", "replace")
        if len(raw) < self.min_bytes:
            return math.nan
        return len(raw) / len(zlib.compress(raw, self.level))
