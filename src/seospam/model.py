"""The scikit-learn side: a stateless feature transformer and a calibrated classifier on the features.

``build_pipeline`` gives ``Pipeline([("features", FeatureTransformer()), ("clf", SpamClassifier())])``. Both
estimators follow the scikit-learn developer guide: ``__init__`` only stores arguments, ``fit`` returns ``self``,
learned attributes end in ``_``. No lambdas or closures, so a fitted pipeline saves and loads with joblib.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from .fastpredict import occlusion_contributions
from .features import extract, feature_names
from .page import to_page

#: Classifier kinds that :class:`SpamClassifier` can fit; chosen by grouped cross-validation in ``train``.
KINDS = ("logreg", "hgb")


def features_matrix(pages: Iterable[Any], names: list[str] | None = None) -> np.ndarray:
    """Rows of feature values for pages (anything :func:`~seospam.page.to_page` accepts)."""
    names = names or feature_names()
    rows = [[fs.values[n] for n in names] for fs in (extract(to_page(p), names) for p in pages)]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(names))


class FeatureTransformer(TransformerMixin, BaseEstimator):
    """Pages (str, bytes, records or :class:`~seospam.page.Page`) to the registered feature columns."""

    def __init__(self, names: list[str] | None = None):
        self.names = names

    def fit(self, X: Any = None, y: Any = None) -> "FeatureTransformer":
        """Record the feature names; there is nothing to learn."""
        self.feature_names_out_ = np.asarray(self.names or feature_names(), dtype=object)
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def transform(self, X: Iterable[Any]) -> np.ndarray:
        """Feature matrix of shape (n_pages, n_features)."""
        check_is_fitted(self, "feature_names_out_")
        return features_matrix(X, list(self.feature_names_out_))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The feature names, which are also the explanation keys."""
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


def _base_estimator(kind: str, random_state: int) -> BaseEstimator:
    if kind == "logreg":
        # Counts and rates are skewed: log1p (a module-level ufunc, so the pipeline pickles) then standardise.
        return Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler()),
                         ("lr", LogisticRegression(C=0.5, max_iter=5000))])
    if kind == "hgb":
        return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.08, max_leaf_nodes=15,
                                              min_samples_leaf=10, l2_regularization=1.0,
                                              random_state=random_state)
    raise ValueError(f"unknown classifier kind {kind!r}; choose one of {KINDS}")


class SpamClassifier(ClassifierMixin, BaseEstimator):
    """A calibrated classifier on the feature matrix, with per-feature contributions for explanations.

    ``kind`` is ``"logreg"`` or ``"hgb"``; probabilities are calibrated with sigmoid (Platt) scaling over
    ``calibration_cv`` folds. ``reference_`` holds the median feature values of the negatives: a feature's
    contribution to a page's score is how far the log-odds move when that feature alone is set back to it.
    """

    def __init__(self, kind: str = "hgb", calibration_cv: int = 3, random_state: int = 0):
        self.kind = kind
        self.calibration_cv = calibration_cv
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> "SpamClassifier":
        """Fit the calibrated classifier and record the negatives' reference values."""
        X, y = validate_data(self, X, y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError("SpamClassifier needs both classes (0 and 1) in y")
        n_min = int(min(np.sum(y == c) for c in self.classes_))
        folds = max(2, min(self.calibration_cv, n_min))
        cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        self.calibrated_ = CalibratedClassifierCV(_base_estimator(self.kind, self.random_state), method="sigmoid",
                                                  cv=cv, ensemble=False)
        self.calibrated_.fit(X, y)
        self.reference_ = np.median(X[y == self.classes_[0]], axis=0)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated class probabilities."""
        check_is_fitted(self, "calibrated_")
        X = validate_data(self, X, reset=False)
        return self.calibrated_.predict_proba(X)

    def predict_spam(self, X: Any) -> np.ndarray:
        """Calibrated probability of spam, one per row."""
        return self.predict_proba(X)[:, 1]

    def predict(self, X: Any) -> np.ndarray:
        """Class at probability 0.5 (the model card's threshold is applied by the scoring API)."""
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]

    def contributions(self, X: Any) -> np.ndarray:
        """Log-odds contribution of each feature for each row: logit(p) - logit(p with that feature at reference)."""
        check_is_fitted(self, "calibrated_")
        X = validate_data(self, X, reset=False)
        return occlusion_contributions(lambda Z: self.calibrated_.predict_proba(Z)[:, 1], X, self.reference_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


def build_pipeline(kind: str = "hgb", random_state: int = 0) -> Pipeline:
    """The full model: pages in, calibrated spam probability out."""
    return Pipeline([("features", FeatureTransformer()), ("clf", SpamClassifier(kind=kind,
                                                                                 random_state=random_state))])


def fitted_pipeline(X: np.ndarray, y: np.ndarray, kind: str, random_state: int = 0) -> Pipeline:
    """Fit on a precomputed feature matrix and return the page-level pipeline (the transformer is stateless)."""
    pipe = build_pipeline(kind, random_state)
    pipe.named_steps["features"].fit()
    pipe.named_steps["clf"].fit(X, y)
    return pipe
