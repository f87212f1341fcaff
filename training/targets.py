"""Sentence-level training targets from document labels and evidence spans.

A sentence overlapping a P/R/V evidence span is a positive example of that
label. Untagged sentences inherit their document's label with a lower
weight: in a position=1 document most sentences are narrative, in a
vague=1 document most sentences are generic, but neither is certain.
"""
from __future__ import annotations

import numpy as np

from classifier.document import ParsedDocument, parse
from classifier.model import LABELS

from .data import TAG_LABEL, Record

# weight of an untagged sentence, by (label, document label)
UNTAGGED_WEIGHT = {
    ("vague", 1): 0.4, ("vague", 0): 0.6,
    ("position", 1): 0.3, ("position", 0): 1.0,
    ("proposal", 1): 0.3, ("proposal", 0): 1.0,
}
UNTAGGED_TARGET = {"vague": None, "position": 0, "proposal": 0}  # None: inherit the document label


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def sentence_targets(record: Record, doc: ParsedDocument,
                     untagged_weight: dict[tuple[str, int], float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(targets, weights), each n_sentences x 3 in LABELS order; ``untagged_weight`` overrides entries of
    UNTAGGED_WEIGHT (``training.crossval --untagged-weight``)."""
    weights = UNTAGGED_WEIGHT | (untagged_weight or {})
    n = len(doc.sentences)
    y = np.zeros((n, len(LABELS)), dtype=int)
    w = np.zeros((n, len(LABELS)), dtype=float)
    spans = [doc.original_span(s) for s in doc.sentences]
    tagged = {label: [(e["start"], e["end"]) for e in record.evidence
                      if any(TAG_LABEL[t] == label for t in e["tags"])] for label in LABELS}
    for i, span in enumerate(spans):
        for j, label in enumerate(LABELS):
            doc_label = record.labels[label]
            if any(_overlaps(span, ev) for ev in tagged[label]):
                y[i, j], w[i, j] = 1, 1.0
                continue
            target = UNTAGGED_TARGET[label]
            y[i, j] = doc_label if target is None else target
            w[i, j] = weights[(label, doc_label)]
            if label == "vague" and doc_label == 0 and any(_overlaps(span, ev) for ev in tagged["position"] + tagged["proposal"]):
                w[i, j] = 1.0  # a P/R sentence of a concrete document is concrete for sure
    return y, w


def training_arrays(records: list[Record], untagged_weight: dict[tuple[str, int], float] | None = None):
    """Parsed documents, sentence lists, document labels and sentence targets/weights."""
    docs = [parse(r.text) for r in records]
    Y = np.array([[r.labels[label] for label in LABELS] for r in records], dtype=int)
    ys, ws = zip(*(sentence_targets(r, d, untagged_weight) for r, d in zip(records, docs))) if records else ((), ())
    sentence_Y = np.concatenate(ys) if ys else np.zeros((0, 3), dtype=int)
    sentence_W = np.concatenate(ws) if ws else np.zeros((0, 3))
    return docs, [d.model_texts for d in docs], Y, sentence_Y, sentence_W
