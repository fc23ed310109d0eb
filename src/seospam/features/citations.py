"""Citations and acronyms: unverifiable study references, checkable references, invented dotted acronyms.

A checkable citation has authors, a year, a DOI, a PMID or a link. Walters & Wilder (Sci. Rep. 2023) found 55 % of
GPT-3.5's and 18 % of GPT-4's references fabricated, so "a study published in <Journal>" with none of those is a
mark of generated text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..inputs.page import Page
from . import feature
from ._lex import load_lexicon
from .claims import CHECKABLE_RE

# Bounded repetitions only: these run in linear time on any input.
_STUDY_REF_RE = re.compile(
    r"\b(?:stud(?:y|ies)|research|trial|paper|article|review|report|survey|analysis)\b[^.!?\n]{0,40}?"
    r"\b(?:published|appearing|appeared|reported)\s(?:in|by)\b"
    r"|\bpublished\sin\s(?:the\s)?(?:journal|[A-Z])"
    r"|\baccording\sto\s(?:a|one|the|recent)\s(?:\w{1,30}\s){0,3}?(?:study|studies|research|report|trial)\b"
    r"|\b(?:journal|university)\sof\s[A-Z]\w{0,30}(?:\s[A-Z]\w{0,30}){0,4}\s(?:found|reports?|showed|shows|revealed)\b",
)
_DOTTED_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,7}[A-Z]\.?(?![\w])")
_WORDS_RE = re.compile(r"[\w'-]+")
_BRACKET_AFTER_RE = re.compile(r"\s?\(([^()]{3,120})\)")
_STANDS_FOR_RE = re.compile(r",?\s(?:short\sfor|which\sstands\sfor|stands\sfor|meaning)\s"
                            r"((?:[\w'-]{1,40}\s){0,9}[\w'-]{1,40})")
_NAME_AFTER_RE = re.compile(r"\s[A-Z][a-z]")
_SKIP_INITIAL = frozenset(("of", "and", "the", "for", "in", "on", "to", "a", "an", "&"))


@feature("cite_unverifiable_count",
         "study references with no author, year, DOI, PMID or link ('a study published in the Journal of...')")
def unverifiable(page: Page) -> tuple[float, list[tuple[int, int]]]:
    text = page.text
    out = []
    for s, e in page.sentences:
        sent = text[s:e]
        m = _STUDY_REF_RE.search(sent)
        if m and not CHECKABLE_RE.search(sent):
            out.append((s + m.start(), s + m.end()))
    return float(len(out)), out


@feature("cite_checkable_count", "checkable references: 'et al.', a year in brackets, a DOI, a PMID or a link")
def checkable(page: Page) -> tuple[float, list[tuple[int, int]]]:
    spans = [m.span() for m in CHECKABLE_RE.finditer(page.text[:500_000])]
    return float(len(spans)), spans[:50]


@lru_cache(maxsize=None)
def _standard() -> frozenset[str]:
    return frozenset(load_lexicon("standard_dotted"))


@lru_cache(maxsize=20_000)
def _known_acronym(letters: str, min_zipf: float = 2.8) -> bool:
    """An acronym common in general English (FDA, CDC, WHO): wordfreq Zipf ≥ ``min_zipf`` for its letters."""
    from .stuffing import zipf_best

    return zipf_best(letters.lower()) >= min_zipf


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _SKIP_INITIAL and w[:1].isalpha()).upper()


def _expansions(text: str, start: int, end: int, letters: str) -> tuple[list[str], list[str]]:
    """Long forms next to one acronym occurrence: (matching expansions, non-matching bracketed explanations)."""
    good, bad = [], []
    before = text[max(0, start - 200):start]
    after = text[end:end + 200]
    # "Long Form (K.R.S.)": the words before the bracket.
    if before.endswith("("):
        words = _WORDS_RE.findall(before[:-1])[-(len(letters) + 4):]
        for k in range(len(words)):
            if _initials(words[k:]) == letters:
                good.append(" ".join(words[k:]).lower())
                break
        else:
            if words:
                bad.append(" ".join(words[-len(letters):]).lower())
    # "K.R.S. (Long Form)": the bracket after.
    m = _BRACKET_AFTER_RE.match(after)
    if m:
        words = _WORDS_RE.findall(m.group(1))
        if _initials(words) == letters:
            good.append(" ".join(words).lower())
        else:
            bad.append(m.group(1).lower())
    # "K.R.S., short for / which stands for Long Form"
    m = _STANDS_FOR_RE.match(after)
    if m:
        words = _WORDS_RE.findall(m.group(1))[:len(letters) + 3]
        for k in range(len(words), 0, -1):
            if _initials(words[:k]) == letters:
                good.append(" ".join(words[:k]).lower())
                break
        else:
            bad.append(m.group(1).strip().lower())
    return good, bad


@feature("acro_invented_count",
         "dotted acronyms that are not standard and whose letters match no expansion, or are expanded two ways")
def invented_acronyms(page: Page) -> tuple[float, list[tuple[int, int]]]:
    text = page.text[:500_000]
    occurrences: dict[str, list[tuple[int, int]]] = {}
    for m in _DOTTED_RE.finditer(text):
        token = m.group(0)
        dotted = token if token.endswith(".") else token + "."
        letters = dotted.replace(".", "")
        if dotted.lower() in _standard() or len(letters) < 2:
            continue
        # "J.B. Pritzker": initials of a person's name.
        if len(letters) <= 3 and _NAME_AFTER_RE.match(text[m.end():m.end() + 3]):
            continue
        occurrences.setdefault(letters, []).append(m.span())
    invented = 0
    spans: list[tuple[int, int]] = []
    for letters, occ in occurrences.items():
        good: set[str] = set()
        bad: list[str] = []
        for s, e in occ:
            g, b = _expansions(text, s, e, letters)
            good.update(g)
            bad.extend(b)
        # Invented: expanded two different ways, or never expanded to matching words (and not a known acronym).
        if len(good | set(bad)) >= 2 or (not good and (bad or not _known_acronym(letters))):
            invented += 1
            spans.extend(occ)
    return float(invented), spans
