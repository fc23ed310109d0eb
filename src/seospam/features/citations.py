"""Citations: unverifiable study references and checkable references.

A checkable citation has authors, a year, a DOI, a PMID or a link. Walters & Wilder (Sci. Rep. 2023) found 55 % of
GPT-3.5's and 18 % of GPT-4's references fabricated, so "a study published in <Journal>" with none of those is a
mark of generated text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import Feature, register
from .analysis import Analysis
from .claims import CHECKABLE_RE

# Bounded repetitions only: these run in linear time on any input.
_STUDY_REF_RE = re.compile(
    r"\b(?:stud(?:y|ies)|research|trial|paper|article|review|report|survey|analysis)\b[^.!?\n]{0,40}?"
    r"\b(?:published|appearing|appeared|reported)\s(?:in|by)\b"
    r"|\bpublished\sin\s(?:the\s)?(?:journal|[A-Z])"
    r"|\baccording\sto\s(?:a|one|the|recent)\s(?:\w{1,30}\s){0,3}?(?:study|studies|research|report|trial)\b"
    r"|\b(?:journal|university)\sof\s[A-Z]\w{0,30}(?:\s[A-Z]\w{0,30}){0,4}\s(?:found|reports?|showed|shows|revealed)\b",
)

#: The checkable-reference scan reads at most this many characters; evidence shows at most this many spans.
SCAN_CHARS = 500_000
MAX_SPANS = 50


@register
@dataclass(frozen=True)
class UnverifiableCount(Feature):
    name = "cite_unverifiable_count"
    description = "study references with no author, year, DOI, PMID or link ('a study published in the Journal of...')"
    source = ("Walters & Wilder (Sci. Rep. 2023), fabricated references: a sentence with a study cue and no "
              "checkable reference")

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        text = a.text
        out = []
        for s, e in a.sentences:
            sent = text[s:e]
            m = _STUDY_REF_RE.search(sent)
            if m and not CHECKABLE_RE.search(sent):
                out.append((s + m.start(), s + m.end()))
        return float(len(out)), out


@register
@dataclass(frozen=True)
class CheckableCount(Feature):
    name = "cite_checkable_count"
    description = "checkable references: 'et al.', a year in brackets, a DOI, a PMID or a link"
    source = "ICMJE / APA reference elements: authors, year, DOI, PMID, URL"

    def compute(self, a: Analysis) -> tuple[float, list[tuple[int, int]]]:
        spans = [m.span() for m in CHECKABLE_RE.finditer(a.text[:SCAN_CHARS])]
        return float(len(spans)), spans[:MAX_SPANS]
