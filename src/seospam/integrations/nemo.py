"""A NeMo Curator ``DocumentFilter``: ``SeoSpamDocumentFilter`` (``pip install seospam[nemo]``).

Example::

    from nemo_curator.stages.text.filters import ScoreFilter
    from seospam.integrations.nemo import SeoSpamDocumentFilter

    stage = ScoreFilter(SeoSpamDocumentFilter(), text_field="text", score_field="seospam_score")
    # add ``stage`` to a nemo_curator Pipeline: it keeps pages under the threshold and records every score

``score_document`` returns the spam probability (NaN for a text that cannot be scored, which is kept: not
scored is not spam). NeMo Curator's ``DocumentFilter`` passes one text at a time, so this filter scores page by
page; for throughput on large crawls, ``seospam batch`` or the datatrove filter score in batches.
"""

from __future__ import annotations

import math
import os

from nemo_curator.stages.text.filters import DocumentFilter

from ..model.persist import Model
from . import PageScorer


class SeoSpamDocumentFilter(DocumentFilter):
    """Scores a document's spam probability; keeps it when the score is under the threshold."""

    def __init__(self, threshold: float | None = None, model: Model | str | os.PathLike | None = None):
        """``threshold`` overrides the model card's; ``model`` is a model file (None: the bundled model)."""
        super().__init__()
        self._scorer = PageScorer(model=model, threshold=threshold)
        self._name = "seospam"

    def load_model(self) -> None:
        """Load the model now; NeMo Curator calls this once per worker (it makes the stage an actor stage)."""
        self._scorer.model

    def score_document(self, text: str) -> float:
        """Spam probability of one text, or NaN when it cannot be scored (empty, not text)."""
        res = self._scorer.score_texts([text])[0]
        return math.nan if res["score"] is None else float(res["score"])

    def keep_document(self, score: float) -> bool:
        """True unless the score is at or above the threshold in force (NaN, not scored, is kept)."""
        return not (score == score and score >= self._scorer.spam_threshold())
