"""The two baselines every evaluation reports next to the model, in the same run.

- :class:`KeywordBaseline`: the cue words a reviewer would grep for.
- :func:`tfidf_logreg_baseline`: underthesea ``word_tokenize`` + TF-IDF +
  logistic regression per label on whole documents, the plain pipeline the
  benchmark compares speed against.
"""
from __future__ import annotations

import re

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import Pipeline

_VAGUE = re.compile(r"cơ bản|bước đầu|chuyển biến tích cực|nhất định|tồn tại|hạn chế|chưa đáp ứng|tăng cường|"
                    r"đẩy mạnh|quan tâm|các đơn vị liên quan|một số|nhiều nguyên nhân|phối hợp chặt chẽ", re.I)
_STANCE = re.compile(r"thống nhất|đồng ý|nhất trí|phù hợp|đủ điều kiện|không khả thi|khả thi", re.I)
_PROPOSE = re.compile(r"đề nghị|kiến nghị|đề xuất", re.I)
_ANCHOR = re.compile(r"\d")


class KeywordBaseline(ClassifierMixin, BaseEstimator):
    """vague: stock phrases outnumber figures; position: a stance word; proposal: a request word near a figure."""

    def fit(self, X, y=None):
        self.classes_ = np.array([0, 1])
        return self

    def predict(self, X) -> np.ndarray:
        rows = []
        for text in X:
            vague = len(_VAGUE.findall(text)) >= max(1, len(re.findall(r"\d+", text)) // 2)
            position = bool(_STANCE.search(text))
            proposal = any(_PROPOSE.search(s) and _ANCHOR.search(s) for s in re.split(r"(?<=[.;!?])\s+|\n", text))
            rows.append([int(vague), int(position), int(proposal)])
        return np.array(rows, dtype=int).reshape(-1, 3)


class WordTokenizer(TransformerMixin, BaseEstimator):
    """underthesea word segmentation, words joined by '_' so TF-IDF sees compounds."""

    def fit(self, X, y=None):
        return self

    def transform(self, X) -> list[str]:
        from underthesea import word_tokenize

        return [" ".join(w.replace(" ", "_") for w in word_tokenize(t)) for t in X]


def tfidf_logreg_baseline(random_state: int = 0) -> Pipeline:
    """word_tokenize -> TF-IDF (1-2 grams) -> one logistic regression per label."""
    return Pipeline([
        ("words", WordTokenizer()),
        ("tfidf", TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\S+", ngram_range=(1, 2), min_df=2,
                                  sublinear_tf=True)),
        ("logit", MultiOutputClassifier(LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced",
                                                           random_state=random_state))),
    ])
