"""The project's scikit-learn estimators follow the developer guide (issue 11): scikit-learn's own checks."""

from __future__ import annotations

import numpy as np
from sklearn.utils.estimator_checks import parametrize_with_checks

from seospam.model.pipeline import FeatureGAM, FeatureTransformer


@parametrize_with_checks([FeatureGAM(max_iter=20)])
def test_feature_gam_passes_check_estimator(estimator, check):
    check(estimator)


def test_feature_transformer_needs_no_fit():
    """Its tags say it needs no fit, so transform works on an unfitted instance (and matches a fitted one)."""
    pages = ["Kratom is safe and effective. Studies show it cures anxiety.", b"<p>A plain page.</p>"]
    unfitted = FeatureTransformer().transform(pages)
    fitted = FeatureTransformer().fit(pages).transform(pages)
    assert unfitted.shape == (2, len(FeatureTransformer().get_feature_names_out()))
    np.testing.assert_array_equal(np.isnan(unfitted), np.isnan(fitted))
    np.testing.assert_array_equal(np.nan_to_num(unfitted), np.nan_to_num(fitted))
