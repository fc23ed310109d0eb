"""A datatrove filter: ``SeoSpamFilter`` drops machine-written health spam from a pipeline (``pip install seospam[datatrove]``).

Example::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from seospam.integrations.datatrove import SeoSpamFilter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("crawl/"),
        SeoSpamFilter(exclusion_writer=JsonlWriter("dropped/")),
        JsonlWriter("kept/"),
    ], tasks=4).run()

Every document gets ``seospam_score``, ``seospam_verdict`` and ``seospam_reasons`` (and ``seospam_error`` when it
could not be scored) in ``doc.metadata``; kept documents carry them downstream, and dropped ones carry them, with
datatrove's ``filter_reason`` ("seospam:<top rule>"), into the exclusion writer.
"""

from __future__ import annotations

import os
from typing import Any

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from ..model.persist import Model
from . import PageScorer, top_rule

#: Documents scored in one vectorised call (the text model and features are much faster per page in batches).
DEFAULT_BATCH_SIZE = 64


class SeoSpamFilter(BaseFilter):
    """Drops documents seospam scores as spam, with reason ``seospam:<top rule>``; annotates every document."""

    name = "🩺 seospam"

    def __init__(self, threshold: float | None = None, model: Model | str | os.PathLike | None = None,
                 exclusion_writer: DiskWriter | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 url_key: str = "url"):
        """``threshold`` overrides the model card's; ``model`` is a model file (None: the bundled model);
        ``url_key`` names the metadata field holding the page URL, when there is one."""
        super().__init__(exclusion_writer, batch_size=batch_size)
        self.scorer = PageScorer(model=model, threshold=threshold)
        self.url_key = url_key

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        """Keep (True) or drop ``(False, "seospam:<top rule>")`` one document."""
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        """Score a batch in one call; annotate each document's metadata and decide keep or drop."""
        results = self.scorer.score_texts([d.text for d in batch], urls=[d.metadata.get(self.url_key) for d in batch],
                                          ids=[d.id for d in batch])
        out: list[bool | tuple[bool, str]] = []
        for doc, res in zip(batch, results):
            _annotate(doc, res)
            if res["error"] is not None:
                # Not scored is not spam: keep it, and count it, so a run shows how many pages went unjudged.
                self.stat_update("seospam_unscored")
                out.append(True)
            elif res["is_spam"]:
                out.append((False, f"seospam:{top_rule(res)}"))
            else:
                out.append(True)
        return out


def _annotate(doc: Document, res: dict[str, Any]) -> None:
    doc.metadata["seospam_score"] = res["score"]
    doc.metadata["seospam_verdict"] = res["verdict"]
    doc.metadata["seospam_reasons"] = res["reasons"]
    if res["error"] is not None:
        doc.metadata["seospam_error"] = res["error"]
