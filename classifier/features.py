"""Sentence features as scikit-learn transformers.

Two views of a sentence: syllable n-grams (digits masked, so "30/6/2022" and
"15/5/2023" are one token shape) and the counts of :mod:`classifier.cues`.
Syllable n-grams need no word segmentation: Vietnamese syllables are
separated by spaces, and the benchmark shows ``word_tokenize`` costs more
than the whole rest of the pipeline without a gain on the dev split.
"""
from __future__ import annotations

import heapq
import math
import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .cues import FEATURE_NAMES, cue_matrix

_DIGITS = re.compile(r"\d")
_SYLLABLE = re.compile(r"(?u)\b[^\W\d_]+\b")
RARITY_FEATURES = ("mean_idf", "top3_idf", "share_rare")


def mask_digits(text: str) -> str:
    """Lower-case and replace every digit by 0: the shape of a figure, not its value."""
    return _DIGITS.sub("0", text.lower())


def word_segmented(text: str) -> str:
    """mask_digits after underthesea word segmentation, compounds joined by '_' (the costly alternative)."""
    from underthesea import word_tokenize

    return mask_digits(" ".join(w.replace(" ", "_") for w in word_tokenize(text)))


def _scale_cues(raw: np.ndarray) -> np.ndarray:
    """log1p for counts; signed features (a score that can be negative) keep their sign."""
    return np.sign(raw) * np.log1p(np.abs(raw))


class CueFeatures(TransformerMixin, BaseEstimator):
    """Counts of specificity/stance cues per sentence, log-scaled."""

    def fit(self, X, y=None):
        self.n_features_in_ = 1
        return self

    def transform(self, X) -> np.ndarray:
        return _scale_cues(cue_matrix(list(X)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray([f"cue__{n}" for n in FEATURE_NAMES], dtype=object)


class SentenceFeaturizer(TransformerMixin, BaseEstimator):
    """Syllable n-gram TF-IDF next to weighted cue counts, as one sparse matrix.

    ``tokens="words"`` segments words with underthesea first (benchmarks/bench_tokens.py compares the two).

    ``cue_weight`` sets how loud the cue block is relative to the n-grams: the
    cues carry the concepts across writers, the n-grams the local phrasing.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), min_df: int = 2, max_features: int | None = 40000,
                 cue_weight: float = 1.0, tokens: str = "syllables",
                 rarity_features: tuple[str, ...] = RARITY_FEATURES, unseen_rarity: str = "max"):
        self.tokens = tokens
        self.rarity_features = rarity_features
        self.unseen_rarity = unseen_rarity
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.cue_weight = cue_weight

    def fit(self, X, y=None):
        X = list(X)
        self.ngrams_ = TfidfVectorizer(preprocessor=word_segmented if self.tokens == "words" else mask_digits,
                                       token_pattern=r"(?u)\b\w+\b",
                                       ngram_range=self.ngram_range, min_df=self.min_df,
                                       max_features=self.max_features, sublinear_tf=True, dtype=np.float32)
        self.ngrams_.fit(X)
        self.cues_ = CueFeatures().fit(X)
        self._fit_rarity(X)
        cues = np.hstack([self.cues_.transform(X), self._rarity(X)])
        self.cue_scale_ = np.maximum(np.abs(cues).max(axis=0), 1e-6)
        return self

    def _fit_rarity(self, texts: list[str]) -> None:
        """Syllable IDF over ``texts`` (the training sentences; a subclass may add unlabeled text)."""
        words = TfidfVectorizer(preprocessor=mask_digits, token_pattern=r"(?u)\b[^\W\d_]+\b", min_df=1).fit(texts)
        self.rarity_ = {w: float(i) for w, i in zip(words.get_feature_names_out(), words.idf_)}
        self.rarity_unseen_ = float(words.idf_.max() if self.unseen_rarity == "max" else np.median(words.idf_))

    def _rarity(self, X: list[str]) -> np.ndarray:
        """How specific the words are: rare syllables name things, frequent ones are the stock vocabulary.

        Inverse document frequency of each syllable over the training sentences; a syllable never seen in
        training counts as rarest (``unseen_rarity="max"``) or as typical (``"median"``). Per sentence: mean,
        mean of the top three, share above the median; ``rarity_features`` keeps a subset.
        """
        out = np.zeros((len(X), len(RARITY_FEATURES)), dtype=np.float32)
        high = float(np.median(list(self.rarity_.values())))
        rarity, unseen = self.rarity_, self.rarity_unseen_
        for i, sentence in enumerate(X):  # plain Python: numpy's per-call cost exceeds the work on a dozen numbers
            idf = [rarity.get(t, unseen) for t in _SYLLABLE.findall(sentence.lower())]
            if not idf:
                continue
            top = heapq.nlargest(3, idf)
            out[i] = (math.fsum(idf) / len(idf), math.fsum(top) / len(top), sum(v > high for v in idf) / len(idf))
        return out[:, [RARITY_FEATURES.index(n) for n in self.rarity_features]]

    def __getstate__(self):
        """Drop the vectoriser's introspection/caches that pickle differently run to run (a set in hash order,
        an ``id()``), so the same data and seed give the same artifact bytes; scikit-learn documents both
        as safe to remove."""
        for name in ("stop_words_", "_stop_words_id"):
            if hasattr(getattr(self, "ngrams_", None), name):
                delattr(self.ngrams_, name)
        return super().__getstate__()

    def transform_with_cues(self, X) -> tuple[sp.csr_matrix, np.ndarray]:
        """The feature matrix and the raw cue counts (reused for document features)."""
        X = list(X)
        raw = cue_matrix(X)
        cues = np.hstack([_scale_cues(raw), self._rarity(X)]) / self.cue_scale_ * self.cue_weight
        grams = self.ngrams_.transform(X)
        return sp.hstack([grams, sp.csr_matrix(cues.astype(np.float32))], format="csr"), raw

    def transform(self, X) -> sp.csr_matrix:
        return self.transform_with_cues(X)[0]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        grams = [f"ngram__{n}" for n in self.ngrams_.get_feature_names_out()]
        return np.asarray(grams + list(self.cues_.get_feature_names_out()) + [f"rarity__{n}" for n in self.rarity_features],
                          dtype=object)
