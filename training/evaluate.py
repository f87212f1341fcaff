"""Evaluate a trained model and the two baselines on the dev split and on real text.

The dev split is read here and nowhere in training; the thresholds come
from out-of-fold training predictions.
"""
from __future__ import annotations

import numpy as np

from classifier.model import LABELS, ReportClassifier
from classifier.document import parse

from .baselines import KeywordBaseline, tfidf_logreg_baseline
from .data import Record
from .metrics import label_metrics
from .realdev import REAL_LABELS, corpus_check, corpus_check_plans, real_dev


def _labels(records: list[Record]) -> np.ndarray:
    return np.array([[r.labels[l] for l in LABELS] for r in records], dtype=int)


def model_predictions(model: ReportClassifier, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities and thresholded labels (n_texts x 3)."""
    docs = [parse(t).model_texts for t in texts]
    proba = model.predict_proba(docs)
    pred = np.stack([proba[:, j] >= model.thresholds_[l] for j, l in enumerate(LABELS)], axis=1).astype(int)
    return proba, pred


REAL_CHECKS = {"real_dev": real_dev, "corpus_check": corpus_check, "corpus_check_plans": corpus_check_plans}


def real_metrics(pred_fn, items: list[dict]) -> dict | None:
    """Metrics of ``pred_fn(texts) -> (pred, proba | None)`` on the labeled lines of one real check (None if absent)."""
    if not items:
        return None
    texts = [i["text"] for i in items]
    Y = np.array([[i["labels"][l] for l in REAL_LABELS] for i in items], dtype=int)
    pred, proba = pred_fn(texts)
    cols = [LABELS.index(l) for l in REAL_LABELS]
    return label_metrics(Y, pred[:, cols], None if proba is None else proba[:, cols], labels=REAL_LABELS)


def model_real_metrics(model: ReportClassifier, items: list[dict]) -> dict | None:
    """:func:`real_metrics` of the model at its own thresholds."""
    return real_metrics(lambda texts: model_predictions(model, texts)[::-1], items)


def evaluate_all(model: ReportClassifier, train: list[Record], dev: list[Record], with_baselines: bool = True) -> dict:
    """Metrics of the model (and baselines) on dev, its parts, and the real-text check."""
    parts = {"dev": dev, "dev_general": [r for r in dev if r.part == "general"],
             "dev_cue_inverted": [r for r in dev if r.part == "cue_inverted"]}
    report: dict = {"model": {}, "keyword_baseline": {}, "tfidf_logreg_baseline": {}}
    for name, recs in parts.items():
        if not recs:
            continue
        proba, pred = model_predictions(model, [r.text for r in recs])
        report["model"][name] = label_metrics(_labels(recs), pred, proba)
    real_items = {name: load() for name, load in REAL_CHECKS.items()}
    for name, items in real_items.items():
        real = model_real_metrics(model, items)
        if real:
            report["model"][name] = real
    if with_baselines:
        keyword = KeywordBaseline().fit(None)
        tfidf = tfidf_logreg_baseline().fit([r.text for r in train], _labels(train))
        for key, est, has_proba in (("keyword_baseline", keyword, False), ("tfidf_logreg_baseline", tfidf, True)):
            def run(texts, est=est, has_proba=has_proba):
                pred = np.asarray(est.predict(texts))
                proba = np.stack([p[:, 1] for p in est.predict_proba(texts)], axis=1) if has_proba else None
                return pred, proba
            for name, recs in parts.items():
                if recs:
                    pred, proba = run([r.text for r in recs])
                    report[key][name] = label_metrics(_labels(recs), pred, proba)
            for name, items in real_items.items():
                real = real_metrics(run, items)
                if real:
                    report[key][name] = real
    return report
