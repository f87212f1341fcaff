"""Metrics reported in the model card: macro-F1, ROC-AUC, expected calibration error, verdict accuracy."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from classifier.explain import verdict_for
from classifier.model import LABELS


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width probability bins, weighted by bin size."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(y[mask].mean() - p[mask].mean())
    return float(total)


def verdicts(labels: np.ndarray) -> list[str]:
    return [verdict_for({l: bool(row[j]) for j, l in enumerate(LABELS)}) for row in labels]


def label_metrics(Y: np.ndarray, pred: np.ndarray, proba: np.ndarray | None = None,
                  labels: tuple[str, ...] = LABELS) -> dict:
    """Per-label macro-F1 (+ ROC-AUC and calibration error when probabilities are given)."""
    out: dict = {}
    for j, label in enumerate(labels):
        m = {"macro_f1": round(float(f1_score(Y[:, j], pred[:, j], average="macro", zero_division=0)), 4),
             "n": int(len(Y)), "positives": int(Y[:, j].sum())}
        if proba is not None and len(np.unique(Y[:, j])) == 2:
            m["roc_auc"] = round(float(roc_auc_score(Y[:, j], proba[:, j])), 4)
            m["calibration_error"] = round(expected_calibration_error(Y[:, j], proba[:, j]), 4)
        out[label] = m
    if len(labels) == 3:
        gold, got = verdicts(Y), verdicts(pred)
        out["verdict_accuracy"] = round(float(np.mean([a == b for a, b in zip(gold, got)])), 4)
    return out
