"""Single-process scoring speed on real report passages, next to the plain baseline, in one run.

Usage: .venv/bin/python benchmarks/bench_scoring.py [--words 300] [--limit 400]

Passages are consecutive lines of ../shared/corpus/self-assessment-reports.vi.txt
grouped to about --words words. Prints documents/second (batched, the archive
path) and per-document latency p50/p99 (one call per document, the reviewer
path) for baocao's scorer and for word_tokenize + TF-IDF + logistic regression
(trained on the same train split), plus both models' dev-split macro-F1. Throughput is the best of three passes for each pipeline.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier import load_scorer  # noqa: E402
from classifier.model import LABELS  # noqa: E402
from training.baselines import tfidf_logreg_baseline  # noqa: E402
from training.data import load_corpus  # noqa: E402
from training.metrics import label_metrics  # noqa: E402
from training.realdev import corpus_lines  # noqa: E402


def passages(words: int, limit: int) -> list[str]:
    out, current, count = [], [], 0
    for line in corpus_lines():
        line = line.strip()
        if not line:
            continue
        current.append(line)
        count += len(line.split())
        if count >= words:
            out.append("\n".join(current))
            current, count = [], 0
            if len(out) >= limit:
                break
    return out


def fit_baseline(train) -> object:
    """word_tokenize + TF-IDF + LR fitted on the train split, as every benchmark compares against it."""
    return tfidf_logreg_baseline().fit([r.text for r in train],
                                       np.array([[r.labels[l] for l in LABELS] for r in train]))


def latency(fn, docs: list[str]) -> tuple[float, float]:
    times = []
    for d in docs:
        t = time.perf_counter()
        fn(d)
        times.append((time.perf_counter() - t) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def throughput(fn, docs: list[str], batch: int = 64, repeats: int = 3) -> float:
    """Documents per second, best of ``repeats`` passes (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for i in range(0, len(docs), batch):
            fn(docs[i:i + batch])
        best = min(best, time.perf_counter() - t)
    return len(docs) / best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--limit", type=int, default=400)
    args = parser.parse_args()
    docs = passages(args.words, args.limit)
    if not docs:
        sys.exit("../shared/corpus not found: the benchmark reads real passages from it")
    n_words = sum(len(d.split()) for d in docs)
    print(f"{len(docs)} passages, {n_words / len(docs):.0f} words on average, single process")

    scorer = load_scorer()
    records = load_corpus()
    train = [r for r in records if r.split == "train"]
    dev = [r for r in records if r.split == "dev"]
    baseline = fit_baseline(train)
    scorer.score_many(docs[:5]); baseline.predict_proba(docs[:5])  # warm-up

    rows = []
    for name, one, many in (
        ("baocao scorer", lambda d: scorer.score(d), lambda ds: scorer.score_many(ds)),
        ("word_tokenize+TF-IDF+LR", lambda d: baseline.predict_proba([d]), lambda ds: baseline.predict_proba(ds)),
    ):
        p50, p99 = latency(one, docs)
        dps = throughput(many, docs)
        rows.append((name, dps, dps * n_words / len(docs), p50, p99))
    Y = np.array([[r.labels[l] for l in LABELS] for r in dev])
    dev_texts = [r.text for r in dev]
    ours = np.array([[int(r.labels[l]) for l in LABELS] for r in scorer.score_many(dev_texts)])
    theirs = np.asarray(baseline.predict(dev_texts))
    quality = {"baocao scorer": label_metrics(Y, ours), "word_tokenize+TF-IDF+LR": label_metrics(Y, theirs)}

    print(f"{'pipeline':26} {'docs/s':>8} {'words/s':>9} {'p50 ms':>7} {'p99 ms':>7}   dev macro-F1 (vague/position/proposal), verdict acc.")
    for name, dps, wps, p50, p99 in rows:
        q = quality[name]
        print(f"{name:26} {dps:8.1f} {wps:9.0f} {p50:7.1f} {p99:7.1f}   "
              + "/".join(f"{q[l]['macro_f1']:.3f}" for l in LABELS) + f", {q['verdict_accuracy']:.3f}")
    print(f"throughput ratio (baocao / baseline): {rows[0][1] / rows[1][1]:.1f}x; "
          f"p50 latency ratio (baseline / baocao): {rows[1][3] / rows[0][3]:.1f}x")


if __name__ == "__main__":
    main()
