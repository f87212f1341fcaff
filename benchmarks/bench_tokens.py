"""Syllable n-grams against underthesea word segmentation, on the dev split and per millisecond.

Usage: .venv/bin/python benchmarks/bench_tokens.py

Trains the default model twice on the train split — n-grams over syllables (shipped) and over
word_tokenize words — and prints dev macro-F1 per label, verdict accuracy, and the featurisation
time per document (ms) of each, in the same run.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier.model import LABELS  # noqa: E402
from training.data import load_corpus  # noqa: E402
from training.evaluate import model_predictions  # noqa: E402
from training.metrics import label_metrics  # noqa: E402
from training.targets import training_arrays  # noqa: E402
from training.train import make_model  # noqa: E402


def main() -> None:
    records = load_corpus()
    train = [r for r in records if r.split == "train"]
    dev = [r for r in records if r.split == "dev"]
    _, sentences, Y, sY, sW = training_arrays(train)
    Yd = np.array([[r.labels[l] for l in LABELS] for r in dev])
    dev_texts = [r.text for r in dev]
    print(f"{'n-gram tokens':14} " + " ".join(f"{l:>9}" for l in LABELS) + "  verdict  featurise ms/doc")
    for tokens in ("syllables", "words"):
        model = make_model()
        model.featurizer.set_params(tokens=tokens)
        model.fit(sentences, Y, sY, sW)
        proba, pred = model_predictions(model, dev_texts)
        m = label_metrics(Yd, pred, proba)
        flat = [s for doc in sentences[:200] for s in doc]
        t = time.perf_counter()
        model.featurizer_.transform(flat)
        ms = (time.perf_counter() - t) * 1000 / 200
        print(f"{tokens:14} " + " ".join(f"{m[l]['macro_f1']:9.3f}" for l in LABELS)
              + f"  {m['verdict_accuracy']:7.3f}  {ms:8.2f}")


if __name__ == "__main__":
    main()
