"""Old import path of the scoring functions, kept because Spark and Ray recipes import it; see seospam.model.scoring."""

from .model.scoring import score, score_frame, score_pages, score_records, score_result

__all__ = ["score", "score_frame", "score_pages", "score_records", "score_result"]
