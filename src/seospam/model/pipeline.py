"""The model: an additive feature model and a text model, stacked, with exact per-rule points.

* :class:`FeatureGAM` is gradient boosting on the feature matrix with ``interaction_cst="no_interactions"``: every
  tree splits on one feature, so the model is a sum of one step function per feature (a GAM, like an Explainable
  Boosting Machine). Missing values (NaN: "this page has no headings") take their own branch, and the features whose
  direction is known (:data:`MONOTONE_UP`) may only raise the score (``monotonic_cst``).
* :class:`TextModel` is TF-IDF word 1-2-grams with logistic regression: a linear model, so each n-gram's share of
  its log-odds is exact too.
* The two margins are stacked by a logistic regression fitted on out-of-fold margins (``train`` does that), which
  also calibrates the score.

:func:`export` turns the fitted parts into plain arrays (:class:`AdditiveModel`), the format models are saved and
scored in: no pickle, no scikit-learn at scoring time, and ``logit(score) = base + sum(points)`` exactly.
Both estimators follow the scikit-learn developer guide; there are no lambdas or closures anywhere.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..features import FeatureSet, extract, feature_names
from ..inputs.edge import to_page

#: Features that can only raise the score: more disease or substitute claims, uncited "studies show", invented
#: citations and acronyms, stuffing and paraphrase repetition never make a page look less like spam (issue 9).
MONOTONE_UP = frozenset({
    "claim_disease_sent_frac", "claim_substitute_sent_frac", "claim_safety_count", "claim_uncited_study_count",
    "cite_unverifiable_count", "acro_invented_count", "rep_paraphrase_sent_frac", "kw_inserted_phrase_count",
    "kw_top_phrase_density_pct", "kw_top_density_pct", "claim_booster_per_1k",
})
#: Features that can only lower the score: hedging a claim and warning about risks are what honest pages do.
MONOTONE_DOWN = frozenset({"claim_hedge_per_1k", "claim_caution_count"})
#: Features that describe layout, not what a page says (heading case, line shape, repeated lines). They are computed
#: and shown by ``seospam features`` but not given to the model, so that a page's verdict cannot follow its layout.
LAYOUT_FEATURES = frozenset({
    "style_title_case_heading_frac", "basic_line_punct_frac", "basic_short_line_frac", "rep_dup_line_frac",
    "rep_dup_line_char_frac",
})


def model_feature_names() -> list[str]:
    """The features the model sees: every registered feature but :data:`LAYOUT_FEATURES`."""
    return [n for n in feature_names() if n not in LAYOUT_FEATURES]


#: The text model's reason in explanations.
TEXT_REASON = "text_ngrams"
#: sklearn's default token pattern, which :class:`AdditiveModel` reproduces to score without scikit-learn.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_TOKEN_RE = re.compile(TOKEN_PATTERN)


def feature_row(fs: FeatureSet, names: list[str]) -> list[float]:
    """One page's feature values in ``names`` order (NaN where the page lacks the input)."""
    return [fs.values[n] for n in names]


def feature_matrix(sets: Iterable[FeatureSet], names: list[str]) -> np.ndarray:
    """The model's input matrix: one :func:`feature_row` per feature set, as float64."""
    rows = [feature_row(fs, names) for fs in sets]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(names))


def features_matrix(pages: Iterable[Any], names: list[str] | None = None) -> np.ndarray:
    """Rows of feature values for pages (anything :func:`~seospam.inputs.edge.to_page` accepts); NaN where absent."""
    names = names or feature_names()
    return feature_matrix((extract(to_page(p), names) for p in pages), names)


class FeatureTransformer(TransformerMixin, BaseEstimator):
    """Pages (str, bytes, records or :class:`~seospam.inputs.page.Page`) to the registered feature columns."""

    def __init__(self, names: list[str] | None = None):
        self.names = names

    def fit(self, X: Any = None, y: Any = None) -> "FeatureTransformer":
        """Record the feature names; there is nothing to learn."""
        self.feature_names_out_ = np.asarray(self.names or feature_names(), dtype=object)
        self.n_features_out_ = len(self.feature_names_out_)
        return self

    def transform(self, X: Iterable[Any]) -> np.ndarray:
        """Feature matrix of shape (n_pages, n_features)."""
        names = list(self.feature_names_out_) if hasattr(self, "feature_names_out_") else self.names
        return features_matrix(X, names)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The feature names, which are also the explanation keys."""
        return np.asarray(self.names or feature_names(), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


def monotonic_cst(names: list[str]) -> list[int]:
    """``monotonic_cst`` for HistGradientBoosting: +1 for :data:`MONOTONE_UP`, -1 for :data:`MONOTONE_DOWN`."""
    return [1 if n in MONOTONE_UP else -1 if n in MONOTONE_DOWN else 0 for n in names]


class FeatureGAM(ClassifierMixin, BaseEstimator):
    """Gradient boosting with no feature interactions: a sum of one step function per feature.

    ``monotonic_cst`` is passed to HistGradientBoostingClassifier (one entry per column, or None).
    """

    def __init__(self, max_iter: int = 300, learning_rate: float = 0.06, max_leaf_nodes: int = 8,
                 min_samples_leaf: int = 20, l2_regularization: float = 1.0, monotonic_cst: Any = None,
                 random_state: int = 0):
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.monotonic_cst = monotonic_cst
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> "FeatureGAM":
        """Fit the boosted step functions."""
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.utils.multiclass import type_of_target

        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan")
        y_type = type_of_target(y, input_name="y", raise_unknown=True)
        if y_type != "binary":
            raise ValueError(f"Only binary classification is supported. The type of the target is {y_type}.")
        self.classes_ = np.unique(y)
        self.hgb_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf, l2_regularization=self.l2_regularization,
            interaction_cst="no_interactions", monotonic_cst=self.monotonic_cst, early_stopping=False,
            random_state=self.random_state)
        self.hgb_.fit(X, y)
        self.n_iter_ = self.hgb_.n_iter_
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """The raw boosting margin (log-odds before stacking)."""
        check_is_fitted(self, "hgb_")
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        return self.hgb_.decision_function(X)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Uncalibrated class probabilities (the stacker calibrates)."""
        check_is_fitted(self, "hgb_")
        return self.hgb_.predict_proba(validate_data(self, X, reset=False, ensure_all_finite="allow-nan"))

    def predict(self, X: Any) -> np.ndarray:
        """The second class where the margin is above 0 (scikit-learn's rule for binary decision functions)."""
        check_is_fitted(self, "hgb_")
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        # Spam or not: the step-function export reads one margin per row, so the model is binary by design.
        tags.classifier_tags.multi_class = False
        return tags


def step_functions(gam: FeatureGAM) -> dict[str, Any]:
    """The fitted GAM as one step function per feature: ``thresholds[f]``, ``values[f]`` (one per bin) and
    ``nan_values[f]``, plus the constant; ``margin(x) = const + sum_f values[f][searchsorted(thresholds[f], x_f)]``."""
    est = gam.hgb_
    n_features = gam.n_features_in_
    const = float(np.asarray(est._baseline_prediction).ravel()[0])
    per_feature: list[list[Any]] = [[] for _ in range(n_features)]
    for stage in est._predictors:
        nodes = stage[0].nodes
        split = nodes[~nodes["is_leaf"].astype(bool)]
        used = set(int(f) for f in split["feature_idx"])
        if not used:
            const += float(nodes["value"][0])
            continue
        if len(used) != 1:
            raise ValueError("a tree splits on several features: the GAM needs interaction_cst='no_interactions'")
        per_feature[used.pop()].append(nodes)
    thresholds, values, nan_values = [], [], []
    for trees in per_feature:
        t = np.unique(np.concatenate([tr["num_threshold"][~tr["is_leaf"].astype(bool)] for tr in trees])) \
            if trees else np.zeros(0)
        reps = np.append(t, np.inf)  # x == t[k] falls in bin k (x <= t[k]); +inf in the last bin
        v = np.zeros(len(reps))
        nan_v = 0.0
        for tr in trees:
            v += _walk(tr, reps)
            nan_v += float(_walk(tr, np.array([np.nan]))[0])
        thresholds.append(t.astype(np.float64))
        values.append(v)
        nan_values.append(nan_v)
    return {"const": const, "thresholds": thresholds, "values": values, "nan_values": np.asarray(nan_values)}


def _walk(nodes: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Leaf values of one single-feature tree for the values ``x`` (sklearn's rule: left if x <= threshold, NaN
    by ``missing_go_to_left``)."""
    out = np.empty(len(x))
    for i, xv in enumerate(x):
        k = 0
        while not nodes["is_leaf"][k]:
            if math.isnan(xv):
                left = bool(nodes["missing_go_to_left"][k])
            else:
                left = xv <= nodes["num_threshold"][k]
            k = int(nodes["left"][k] if left else nodes["right"][k])
        out[i] = nodes["value"][k]
    return out


class TextModel(ClassifierMixin, BaseEstimator):
    """TF-IDF word 1-2-grams (sublinear tf, L2 norm) with L2 logistic regression, on page text."""

    # C=3 and 100k terms, min_df 2: GroupKFold(5) by writer over data/ + ../shared, every layout (2026-12-03), among
    # C/min_df 10/2, 3/2, 10/5, 3/5, 5/3: a little less ROC-AUC than C=10 (0.988 against 0.991) for fewer real pages
    # flagged (corpora FPR at a threshold set on the other sources 0.014 against 0.019) and a smaller no-headings
    # FPR rise (x1.5 against x1.9): a looser fit learns more of a writer's voice. Chosen on the same folds that
    # report it, so those figures are slightly optimistic.
    def __init__(self, max_features: int = 100_000, min_df: int = 2, C: float = 3.0):
        self.max_features = max_features
        self.min_df = min_df
        self.C = C

    #: The offset column is multiplied by this, so its coefficient is small and the L2 penalty barely shrinks it.
    OFFSET_SCALE = 10.0

    def fit(self, X: Any, y: Any, offset: Any = None) -> "TextModel":
        """Fit the vectoriser and the regression on a list of texts.

        With ``offset`` (the feature model's out-of-fold log-odds per text), the n-grams are fitted to what the
        named features leave unexplained: the offset is one more, nearly unpenalised, column.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = list(X)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, min_df=min(self.min_df, max(1, len(texts) // 4)),
                                           ngram_range=(1, 2), max_features=self.max_features,
                                           token_pattern=TOKEN_PATTERN, dtype=np.float64)
        Z = self.vectorizer_.fit_transform(texts)
        if offset is not None:
            from scipy import sparse

            col = sparse.csr_matrix(np.asarray(offset, dtype=np.float64).reshape(-1, 1) * self.OFFSET_SCALE)
            lr = LogisticRegression(C=self.C, max_iter=3000).fit(sparse.hstack([Z, col], format="csr"), y)
            self.offset_coef_ = float(lr.coef_[0, -1]) * self.OFFSET_SCALE
            lr.coef_ = lr.coef_[:, :-1].copy()
            lr.n_features_in_ = Z.shape[1]
            self.lr_ = lr
        else:
            self.offset_coef_ = 0.0
            self.lr_ = LogisticRegression(C=self.C, max_iter=3000).fit(Z, y)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the text model (the n-grams and intercept; without the offset it was fitted beside)."""
        check_is_fitted(self, "lr_")
        return self.lr_.decision_function(self.vectorizer_.transform(list(X)))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities of the text model."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """Class at log-odds 0."""
        return self.classes_[(self.decision_function(X) >= 0).astype(int)]


def fit_stacker(margins: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``[c0, c_features, c_text]`` of a logistic regression on out-of-fold margins (calibration and blend)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1.0, max_iter=1000).fit(margins, y)
    return np.concatenate([lr.intercept_, lr.coef_.ravel()])


def stack(coef: np.ndarray, margins: np.ndarray) -> np.ndarray:
    """Spam probability from the stacker's coefficients and the two margins."""
    z = coef[0] + margins @ coef[1:]
    return 1.0 / (1.0 + np.exp(-z))


def export(gam: FeatureGAM, text: TextModel | None, coef: np.ndarray, X_train: np.ndarray,
           texts_train: list[str] | None, names: list[str]) -> "AdditiveModel":
    """The fitted parts as an :class:`AdditiveModel`; the training rows fix each rule's zero point (its mean)."""
    sf = step_functions(gam)
    arrays: dict[str, np.ndarray] = {
        "feature_names": _pack_strings(names),
        "const": np.asarray([sf["const"]]),
        "nan_values": sf["nan_values"],
        "thr_offsets": np.cumsum([0] + [len(t) for t in sf["thresholds"]]).astype(np.int64),
        "thresholds": np.concatenate(sf["thresholds"]) if names else np.zeros(0),
        "val_offsets": np.cumsum([0] + [len(v) for v in sf["values"]]).astype(np.int64),
        "values": np.concatenate(sf["values"]) if names else np.zeros(0),
        "stack": np.asarray(coef, dtype=np.float64),
    }
    if text is not None:
        vec = text.vectorizer_
        terms = vec.get_feature_names_out()
        arrays.update(text_terms=_pack_strings(list(terms)), text_idf=vec.idf_.astype(np.float64),
                      text_coef=text.lr_.coef_.ravel().astype(np.float64),
                      text_intercept=np.asarray(text.lr_.intercept_, dtype=np.float64))
    model = AdditiveModel(arrays)
    contrib = model.feature_terms(X_train)
    arrays["feature_means"] = contrib.mean(axis=0)
    if text is not None and texts_train:
        arrays["text_mean"] = np.asarray([float(np.mean(model.text_margins(texts_train)))])
    return AdditiveModel(arrays)


def _pack_strings(items: list[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array (loads with ``allow_pickle=False``, unlike an object array)."""
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8).copy()


#: Texts whose TF-IDF is kept (a batch chunk is 256 pages: scored, explained, then dropped).
_TFIDF_MEMO = 512


def _unpack_strings(arr: np.ndarray) -> list[str]:
    if arr.dtype != np.uint8 or arr.ndim != 1:
        raise ValueError("a packed string array is not one-dimensional uint8")
    data = bytes(arr)
    return data.decode("utf-8").split("\n") if data else []


class AdditiveModel:
    """A saved model: step functions per feature, a linear text model and the stacker, all plain arrays.

    ``logit(p) = base + sum(points)``: every feature's points are its step value minus its training mean, scaled
    by the stacker's weight, and the text model's points are its margin minus its training mean, likewise.
    """

    REQUIRED = ("feature_names", "const", "nan_values", "thr_offsets", "thresholds", "val_offsets", "values",
                "stack")

    def __init__(self, arrays: dict[str, np.ndarray]):
        missing = [k for k in self.REQUIRED if k not in arrays]
        if missing:
            raise ValueError(f"model arrays lack {', '.join(missing)}")
        self.a = arrays
        self.feature_names = _unpack_strings(arrays["feature_names"])
        self.n_features_in_ = len(self.feature_names)
        self.has_text = "text_terms" in arrays
        self._vocab: dict[str, int] | None = None
        self._terms: list[str] | None = None
        self._check_shapes()
        # One page's TF-IDF is wanted three times per score (margin, points, evidence); it is kept for the last
        # few texts rather than recomputed (issue 10: the text part cost 8 ms a page, mostly repeats).
        self._tfidf_memo: dict[str, tuple[list[int], np.ndarray]] = {}

    def _check_shapes(self) -> None:
        """Raise ValueError unless every array has the dtype and length scoring indexes it with.

        A file that loads but has, say, one threshold too few would otherwise fail (or index out of bounds) on some
        page later; checked here, it is refused when loaded (exit 4).
        """
        a, n = self.a, self.n_features_in_
        for k, arr in a.items():
            if k not in ("feature_names", "text_terms") and (arr.ndim != 1 or arr.dtype.kind not in "fiu"):
                raise ValueError(f"model array {k} is not a one-dimensional numeric array")
        for offsets, data in (("thr_offsets", "thresholds"), ("val_offsets", "values")):
            off = a[offsets]
            if len(off) != n + 1 or off[0] != 0 or off[-1] != len(a[data]) or np.any(np.diff(off) < 0):
                raise ValueError(f"model arrays {offsets} and {data} do not match the {n} features")
        # each feature has one more step value than it has thresholds (searchsorted gives 0..len(thresholds))
        if np.any(np.diff(a["val_offsets"]) != np.diff(a["thr_offsets"]) + 1):
            raise ValueError("model arrays: a feature's step values do not match its thresholds")
        if len(a["nan_values"]) != n or len(a["const"]) < 1 or len(a["stack"]) != 3:
            raise ValueError("model arrays nan_values, const or stack have the wrong length")
        if "feature_means" in a and len(a["feature_means"]) != n:
            raise ValueError("model array feature_means does not match the features")
        if self.has_text:
            terms = len(self.terms)
            if any(k not in a for k in ("text_idf", "text_coef", "text_intercept")) or len(a["text_idf"]) != terms \
                    or len(a["text_coef"]) != terms or len(a["text_intercept"]) < 1:
                raise ValueError("model arrays of the text part do not match its terms")
        if "text_mean" in a and len(a["text_mean"]) < 1:
            raise ValueError("model array text_mean is empty")

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (to Dask workers) without the TF-IDF memo: it holds page texts, and is only a cache."""
        state = self.__dict__.copy()
        state["_tfidf_memo"] = {}
        return state

    @property
    def vocab(self) -> dict[str, int]:
        """Text-model term → column (built on first use)."""
        if self._vocab is None:
            self._vocab = {t: i for i, t in enumerate(self.terms)}
        return self._vocab

    @property
    def terms(self) -> list[str]:
        """Text-model terms by column (unpacked on first use: unpacking per call cost 5 ms a page)."""
        if self._terms is None:
            self._terms = _unpack_strings(self.a["text_terms"]) if self.has_text else []
        return self._terms

    # -- the feature part ---------------------------------------------------------------------------------------
    def feature_terms(self, X: np.ndarray) -> np.ndarray:
        """Per row and feature: that feature's step value (NaN inputs take the feature's missing-value step)."""
        X = np.asarray(X, dtype=np.float64)
        a = self.a
        out = np.empty_like(X)
        for f in range(self.n_features_in_):
            t = a["thresholds"][a["thr_offsets"][f]:a["thr_offsets"][f + 1]]
            v = a["values"][a["val_offsets"][f]:a["val_offsets"][f + 1]]
            col = X[:, f]
            nan = np.isnan(col)
            idx = np.searchsorted(t, np.where(nan, 0.0, col), side="left")
            out[:, f] = np.where(nan, a["nan_values"][f], v[idx])
        return out

    def feature_margin(self, X: np.ndarray) -> np.ndarray:
        """The feature model's log-odds margin."""
        return self.a["const"][0] + self.feature_terms(X).sum(axis=1)

    # -- the text part ------------------------------------------------------------------------------------------
    def _tfidf(self, text: str) -> tuple[list[int], np.ndarray]:
        """Columns and L2-normalised sublinear TF-IDF weights of one text, as scikit-learn computes them."""
        hit = self._tfidf_memo.get(text)
        if hit is not None:
            return hit
        if len(self._tfidf_memo) >= _TFIDF_MEMO:
            self._tfidf_memo = {}  # a new dict, not clear(): another thread may be reading the old one
        out = self._tfidf_of(text)
        self._tfidf_memo[text] = out
        return out

    def _tfidf_of(self, text: str) -> tuple[list[int], np.ndarray]:
        toks = _TOKEN_RE.findall(text.lower())
        counts: dict[int, int] = {}
        vocab = self.vocab
        for g in toks:
            j = vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        for a, b in zip(toks, toks[1:]):
            j = vocab.get(a + " " + b)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return [], np.zeros(0)
        cols = sorted(counts)
        tf = np.asarray([counts[j] for j in cols], dtype=np.float64)
        w = (1.0 + np.log(tf)) * self.a["text_idf"][cols]
        norm = math.sqrt(float(w @ w))
        return cols, (w / norm if norm else w)

    def text_margins(self, texts: list[str]) -> np.ndarray:
        """The text model's log-odds for each text (0 when the model has no text part)."""
        if not self.has_text:
            return np.zeros(len(texts))
        coef, b = self.a["text_coef"], float(self.a["text_intercept"][0])
        out = np.empty(len(texts))
        for i, t in enumerate(texts):
            cols, w = self._tfidf(t)
            out[i] = b + (float(w @ coef[cols]) if cols else 0.0)
        return out

    def text_terms(self, text: str, k: int = 6) -> list[tuple[str, float]]:
        """The ``k`` n-grams that moved this text's margin most, with their share (coef × weight), largest first."""
        if not self.has_text:
            return []
        cols, w = self._tfidf(text)
        if not cols:
            return []
        share = w * self.a["text_coef"][cols]
        order = np.argsort(-np.abs(share), kind="stable")[:k]
        inv = self.terms
        return [(inv[cols[i]], float(share[i])) for i in order]

    # -- together -----------------------------------------------------------------------------------------------
    def margins(self, X: np.ndarray, texts: list[str]) -> np.ndarray:
        """``[feature margin, text margin]`` per row."""
        return np.column_stack([self.feature_margin(X), self.text_margins(texts)])

    def predict_spam(self, X: np.ndarray, texts: list[str]) -> np.ndarray:
        """Calibrated spam probability per row."""
        return stack(self.a["stack"], self.margins(X, texts))

    def base(self) -> float:
        """Log-odds before any rule: the stacker at every rule's training mean."""
        c = self.a["stack"]
        means = self.a.get("feature_means")
        fm = self.a["const"][0] + (float(np.sum(means)) if means is not None else 0.0)
        tm = float(self.a["text_mean"][0]) if "text_mean" in self.a else 0.0
        return float(c[0] + c[1] * fm + c[2] * tm)

    def points(self, X: np.ndarray, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(probabilities, feature points per row and feature, text points per row), additive to the log-odds."""
        c = self.a["stack"]
        terms = self.feature_terms(X)
        means = self.a.get("feature_means", np.zeros(self.n_features_in_))
        feat_pts = c[1] * (terms - means)
        tm = self.text_margins(texts)
        text_pts = c[2] * (tm - (float(self.a["text_mean"][0]) if "text_mean" in self.a else 0.0))
        z = c[0] + c[1] * (self.a["const"][0] + terms.sum(axis=1)) + c[2] * tm
        return 1.0 / (1.0 + np.exp(-z)), feat_pts, text_pts
