"""The numpy-only classifier copy predicts exactly what the scikit-learn model predicts."""

from __future__ import annotations

import numpy as np

from seospam.fastpredict import FastModel, export, exportable
from seospam.model import features_matrix
from seospam.persist import load_model


def test_bundled_model_has_a_verified_fast_copy():
    m = load_model()
    assert m.fast is not None
    assert m.card["fast_predictor"]["sha256"]


def test_fast_copy_matches_sklearn_on_real_pages(seed_paths, corpus_records):
    m = load_model()
    clf = m.pipeline.named_steps["clf"]
    assert exportable(clf)
    fast = FastModel(export(clf))
    X = features_matrix(list(seed_paths) + corpus_records[::40])
    np.testing.assert_allclose(fast.predict_spam(X), clf.predict_spam(X), rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.contributions(X[:10]), clf.contributions(X[:10]), rtol=0, atol=1e-9)


def test_single_page_scoring_does_not_need_the_pipeline(seed_paths):
    from seospam.persist import _load_cached
    from seospam.scoring import score_result

    _load_cached.cache_clear()
    m = load_model()
    res = score_result(seed_paths[0], model=m)
    assert res.is_spam
    assert m._pipeline is None  # scored with the numpy copy; joblib was never unpickled
