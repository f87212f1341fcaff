"""The learned model: sentence heads, aggregated to calibrated document scores.

For each label a logistic-regression head scores every body sentence; the
document head (a scaled logistic regression) reads aggregates of those
sentence probabilities plus document-wide cue densities. Document heads are
fitted on out-of-fold sentence probabilities, so they learn how the sentence
heads behave on text they have not seen. Evidence shown to users is the
sentence probabilities of the same heads that produce the score.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from .cues import FEATURE_NAMES
from .features import SentenceFeaturizer

LABELS: tuple[str, ...] = ("vague", "position", "proposal")
_CUE = {name: i for i, name in enumerate(FEATURE_NAMES)}

DOC_FEATURES: tuple[str, ...] = (
    "p_max", "p_mean", "p_top2", "p_share_high", "log_sentences", "anchor_density", "share_no_anchor",
    "generic_per_sentence", "request_with_anchor", "commit_with_anchor", "stance_owned", "deferral", "relayed",
    "hedge",
)
# Which document features each label's head reads. The heads see little beyond their sentence probabilities,
# so a positive document always has sentences that carry the label (its evidence). Raw cue densities at the
# document level fitted the writers' documents better but transferred worse to real reports (docs/model-selection.md).
LABEL_DOC_FEATURES: dict[str, tuple[str, ...]] = {
    "vague": ("p_max", "p_top2", "p_mean", "p_share_high", "log_sentences"),
    "position": ("p_max", "p_top2", "p_mean", "log_sentences", "deferral", "relayed", "hedge"),
    "proposal": ("p_max", "p_top2", "p_mean", "log_sentences"),
}


@dataclass
class SentenceBatch:
    """Sentences of many documents, flattened, with the document each belongs to."""

    texts: list[str]
    doc_index: np.ndarray
    n_docs: int

    @classmethod
    def from_docs(cls, docs: list[list[str]]) -> "SentenceBatch":
        texts = [s for doc in docs for s in doc]
        index = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
        return cls(texts, index.astype(np.int64), len(docs))


def document_features(proba: np.ndarray, cues: np.ndarray, doc_index: np.ndarray, n_docs: int,
                      names: tuple[str, ...] = DOC_FEATURES) -> np.ndarray:
    """Aggregate one label's sentence probabilities and the cue counts per document (columns ``names``)."""
    columns = [DOC_FEATURES.index(name) for name in names]
    return _all_document_features(proba, cues, doc_index, n_docs)[:, columns]


def _all_document_features(proba: np.ndarray, cues: np.ndarray, doc_index: np.ndarray, n_docs: int) -> np.ndarray:
    out = np.zeros((n_docs, len(DOC_FEATURES)), dtype=np.float64)
    if len(proba) == 0:
        return out
    order = np.argsort(doc_index, kind="stable")
    bounds = np.searchsorted(doc_index[order], np.arange(n_docs + 1))
    generic = cues[:, [_CUE["stock_eval"], _CUE["generic_actor"], _CUE["generic_action"], _CUE["generic_cause"],
                       _CUE["intensifier"]]].sum(1)
    for d in range(n_docs):
        rows = order[bounds[d]:bounds[d + 1]]
        if len(rows) == 0:
            continue
        p = proba[rows]
        c = cues[rows]
        top = np.sort(p)[::-1]
        out[d] = (
            top[0], p.mean(), top[:2].mean(), (p >= 0.5).mean(), np.log1p(len(rows)),
            c[:, _CUE["anchor_density"]].mean(), c[:, _CUE["no_anchor"]].mean(), generic[rows].mean(),
            c[:, _CUE["request_with_anchor"]].max(), c[:, _CUE["commit_with_anchor"]].max(),
            c[:, _CUE["stance_owned"]].mean(), float(c[:, _CUE["deferral"]].sum() > 0),
            float(c[:, _CUE["relayed"]].sum() > 0), float(c[:, _CUE["hedge"]].sum() > 0),
        )
    return out


def _positive_proba(head: LogisticRegression, X) -> np.ndarray:
    """``head.predict_proba(X)[:, 1]`` computed directly (binary logistic regression: the sigmoid of the
    decision function). At scoring time a document has a handful of rows, and scikit-learn's per-call input
    validation cost more than the arithmetic (a fifth of the time per document, cProfile)."""
    z = X @ head.coef_[0] + head.intercept_[0]
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64).ravel()))


def _document_proba(head: Pipeline, D: np.ndarray) -> np.ndarray:
    """``head.predict_proba(D)[:, 1]`` for the scaler + logistic-regression document head, computed directly."""
    scale = head.named_steps["scale"]
    return _positive_proba(head.named_steps["logit"], (D - scale.mean_) / scale.scale_)


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """Threshold maximising macro-F1 on out-of-fold training probabilities."""
    from sklearn.metrics import f1_score

    grid = np.round(np.arange(0.2, 0.81, 0.02), 2)
    scores = [f1_score(y, p >= t, average="macro") for t in grid]
    best = max(scores)
    # among ties, the threshold closest to 0.5 (the calibrated midpoint)
    candidates = [t for t, s in zip(grid, scores) if s >= best - 1e-9]
    return float(min(candidates, key=lambda t: abs(t - 0.5)))


class ReportClassifier(ClassifierMixin, BaseEstimator):
    """Three labels, each a sentence head plus a document head.

    Fit with documents as lists of body sentences, document labels
    ``Y`` (n_docs x 3) and sentence targets/weights (n_sentences x 3).
    """

    def __init__(self, featurizer: SentenceFeaturizer | None = None, sentence_C: float = 2.0,
                 document_C: float = 1.0, ngram_weights: dict[str, float] | None = None,
                 document_features: dict[str, tuple[str, ...]] | None = None, n_folds: int = 5,
                 random_state: int = 0, label_sentence_C: dict[str, float] | None = None):
        self.document_features = document_features
        self.label_sentence_C = label_sentence_C
        self.featurizer = featurizer
        self.ngram_weights = ngram_weights
        self.sentence_C = sentence_C
        self.document_C = document_C
        self.n_folds = n_folds
        self.random_state = random_state

    def _label_scale(self, n_features: int, label: str) -> np.ndarray | None:
        """Column scale for one label: the n-gram block weighted against the cue block (None: unscaled).

        Phrasing carries position and proposal well across writers; for vagueness it transfers poorly.
        """
        weight = (self.ngram_weights or {}).get(label, 1.0)
        if weight == 1.0:
            return None
        n_grams = n_features - self.n_cue_features_
        return np.concatenate([np.full(n_grams, weight), np.ones(self.n_cue_features_)])

    def _doc_feature_names(self, label: str) -> tuple[str, ...]:
        return tuple((self.document_features or LABEL_DOC_FEATURES)[label])

    def _sentence_head(self, label: str | None = None) -> LogisticRegression:
        """``label_sentence_C`` overrides ``sentence_C`` for one label's head (position reads its phrasing more
        freely than the others, chosen by leave-one-writer-out cross-validation)."""
        C = (self.label_sentence_C or {}).get(label, self.sentence_C)
        return LogisticRegression(C=C, max_iter=2000, class_weight="balanced", solver="liblinear",
                                  random_state=self.random_state)

    def _document_head(self) -> Pipeline:
        return Pipeline([("scale", StandardScaler()),
                         ("logit", LogisticRegression(C=self.document_C, max_iter=2000, random_state=self.random_state))])

    def fit(self, docs: list[list[str]], Y: np.ndarray, sentence_Y: np.ndarray, sentence_W: np.ndarray,
            groups: np.ndarray | None = None):
        """``groups`` (one per document, e.g. the writer) keeps each group inside one fold, so the document
        heads and thresholds learn from sentence probabilities on text by writers the sentence heads never saw."""
        batch = SentenceBatch.from_docs(docs)
        Y = np.asarray(Y, dtype=int)
        self.featurizer_ = (self.featurizer or SentenceFeaturizer()).fit(batch.texts)
        X, cues = self.featurizer_.transform_with_cues(batch.texts)
        self.n_cue_features_ = X.shape[1] - len(self.featurizer_.ngrams_.vocabulary_)
        sentence_groups = batch.doc_index if groups is None else np.asarray(groups)[batch.doc_index]
        n_splits = min(self.n_folds, len(np.unique(sentence_groups)))
        folds = list(GroupKFold(n_splits=n_splits).split(X, groups=sentence_groups))
        self.sentence_heads_, self.document_heads_, self.thresholds_ = {}, {}, {}
        self.oof_document_proba_ = np.zeros(Y.shape, dtype=float)
        for j, label in enumerate(LABELS):
            y_s, w_s = sentence_Y[:, j], sentence_W[:, j]
            scale = self._label_scale(X.shape[1], label)
            XL = X if scale is None else X @ sp.diags(scale)
            oof = np.zeros(len(batch.texts))
            for train, test in folds:
                if len(np.unique(y_s[train])) < 2:
                    oof[test] = y_s[train].mean()
                    continue
                head = self._sentence_head(label).fit(XL[train], y_s[train], sample_weight=w_s[train])
                oof[test] = head.predict_proba(XL[test])[:, 1]
            head = self._sentence_head(label).fit(XL, y_s, sample_weight=w_s)
            if scale is not None:  # fold the scale into the coefficients: scoring reads X as it is
                head.coef_ = head.coef_ * scale
            self.sentence_heads_[label] = head
            D = document_features(oof, cues, batch.doc_index, batch.n_docs, self._doc_feature_names(label))
            if groups is None:
                cv = list(StratifiedKFold(n_splits=self.n_folds, shuffle=True, random_state=self.random_state).split(D, Y[:, j]))
            else:
                cv = list(GroupKFold(n_splits=n_splits).split(D, Y[:, j], groups=np.asarray(groups)))
            oof_doc = cross_val_predict(self._document_head(), D, Y[:, j], cv=cv, method="predict_proba")[:, 1]
            self.oof_document_proba_[:, j] = oof_doc
            self.thresholds_[label] = _best_threshold(Y[:, j], oof_doc)
            self.document_heads_[label] = self._document_head().fit(D, Y[:, j])
        self.classes_ = np.array([0, 1])
        return self

    def score_sentences(self, docs: list[list[str]]) -> tuple[SentenceBatch, dict[str, np.ndarray], np.ndarray]:
        """Sentence probabilities per label (flattened) and the raw cue counts."""
        batch = SentenceBatch.from_docs(docs)
        if not batch.texts:
            return batch, {label: np.zeros(0) for label in LABELS}, np.zeros((0, len(FEATURE_NAMES)))
        X, cues = self.featurizer_.transform_with_cues(batch.texts)
        return batch, {label: _positive_proba(self.sentence_heads_[label], X) for label in LABELS}, cues

    def predict_proba_docs(self, docs: list[list[str]]):
        """Document probabilities (n_docs x 3) and the sentence probabilities behind them."""
        batch, sentence_proba, cues = self.score_sentences(docs)
        out = np.zeros((batch.n_docs, len(LABELS)))
        for j, label in enumerate(LABELS):
            D = document_features(sentence_proba[label], cues, batch.doc_index, batch.n_docs,
                                  self._doc_feature_names(label))
            out[:, j] = _document_proba(self.document_heads_[label], D)
        return out, batch, sentence_proba, cues

    def predict_proba(self, docs: list[list[str]]) -> np.ndarray:
        return self.predict_proba_docs(docs)[0]

    def predict(self, docs: list[list[str]]) -> np.ndarray:
        proba = self.predict_proba(docs)
        return np.stack([proba[:, j] >= self.thresholds_[l] for j, l in enumerate(LABELS)], axis=1).astype(int)
