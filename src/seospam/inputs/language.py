"""Which language a page is in, so that pages the model was not trained for are not scored as if they were.

The model learned English lexicons and English n-grams: a Spanish kratom spam page scores 0.006 ("ok"). Pages
in another language get the verdict ``unsupported`` instead (see :func:`seospam.scoring.score_pages`).

py3langid (Lui & Baldwin 2012, langid.py; the model ships inside the package) costs about 5 ms on a 6 KB page,
more than the rest of scoring. Most crawl pages are plainly English, so a cheap function-word share decides
those, and only the rest go to py3langid.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Languages the bundled model was trained for.
SUPPORTED = ("en",)
#: Fewer letters-only words than this and the language is not guessed (py3langid is unreliable on a few words).
MIN_WORDS = 20
#: Share of words that are English function words above which a page is taken as English without py3langid.
#: Measured on data/ and ../shared/corpora (3,416 pages of 20+ words): 5th percentile 0.186, 1st 0.129; a Spanish
#: or French page scores under 0.05. Pages under the cut go to py3langid, so the cut only needs to be safe.
EN_FUNCTION_SHARE = 0.15
#: py3langid's normalised probability a non-English guess needs before a page is called unsupported.
MIN_CONFIDENCE = 0.5
#: Characters read: the language of a page shows in its first few thousand characters.
HEAD_CHARS = 4000

_WORD = re.compile(r"[^\W\d_]+")
# Words that are frequent in English and not words of the other major Latin-script languages ("a", "de", "me"
# are left out: they are Spanish, French or Italian words too).
_EN_FUNCTION = frozenset(
    "the of and to in is that for it with as are on be this by or from at an not you your can was have has will"
    .split())


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the page's language, or None when the page is too short to tell."""
    head = text[:HEAD_CHARS]
    words = _WORD.findall(head.lower())
    if len(words) < MIN_WORDS:
        return None
    if sum(w in _EN_FUNCTION for w in words) / len(words) >= EN_FUNCTION_SHARE:
        return "en"
    lang, prob = _identifier().classify(head)
    return str(lang) if prob >= MIN_CONFIDENCE else None


def is_supported(lang: str | None) -> bool:
    """True when the model can judge a page in ``lang`` (an unknown language is given the benefit of the doubt)."""
    return lang is None or lang in SUPPORTED
