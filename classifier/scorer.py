"""The one entry point every interface calls: text in, :class:`Result` out."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .artifact import load_artifact
from .document import ParsedDocument, parse
from .errors import EmptyDocumentError, InputTooLargeError
from .explain import Result, build_reasons, select_evidence, verdict_for
from .model import LABELS, ReportClassifier
from .text import has_letters

MAX_CHARS = 200_000


def check_text(text: str) -> None:
    """Refuse what cannot be scored, with a message a reviewer understands."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise InputTooLargeError(f"Văn bản quá dài ({len(text):,} ký tự, tối đa {MAX_CHARS:,}).",
                                 f"text too long: {len(text)} characters (max {MAX_CHARS})")
    if not has_letters(text, 3):
        raise EmptyDocumentError("Văn bản trống hoặc không có chữ để chấm.", "empty text: nothing to score")


class Scorer:
    """Scores documents with one trained :class:`ReportClassifier`.

    ``scorer(text)`` and ``scorer.score(text)`` score one text;
    ``scorer.score_many(texts)`` scores a list with one vectoriser call and
    one ``predict_proba`` per head.
    """

    def __init__(self, model: ReportClassifier, model_version: str, card: dict | None = None):
        self.model = model
        self.model_version = model_version
        self.card = card or {}
        self.thresholds = dict(model.thresholds_)

    def __repr__(self) -> str:
        return f"Scorer(model_version={self.model_version!r}, thresholds={self.thresholds})"

    def __call__(self, text: str, id: str | None = None, *, conversion: str | None = None) -> Result:
        return self.score(text, id=id, conversion=conversion)

    def score(self, text: str, id: str | None = None, *, conversion: str | None = None) -> Result:
        """Score one text. ``conversion``: the reader's label (``ReadResult.conversion``), shown in ``meta``."""
        return self.score_many([text], ids=[id], conversions=[conversion])[0]

    def score_many(self, texts: Iterable[str], ids: Iterable[str | None] | None = None, *,
                   conversions: Iterable[str | None] | None = None) -> list[Result]:
        """Score many texts at once; raises on the first text that cannot be scored."""
        texts = list(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        conversions = list(conversions) if conversions is not None else [None] * len(texts)
        for text in texts:
            check_text(text)
        docs = [parse(t, conversion=c) for t, c in zip(texts, conversions)]
        return self.score_parsed(docs, ids)

    def score_parsed(self, docs: list[ParsedDocument], ids: list[str | None]) -> list[Result]:
        proba, batch, sentence_proba, cues = self.model.predict_proba_docs([d.model_texts for d in docs])
        results = []
        bounds = np.searchsorted(batch.doc_index, np.arange(len(docs) + 1))  # doc_index is sorted
        for k, doc in enumerate(docs):
            rows = np.arange(bounds[k], bounds[k + 1])
            sp = {label: sentence_proba[label][rows] for label in LABELS}
            scores = {label: float(proba[k, j]) for j, label in enumerate(LABELS)}
            labels = {label: bool(scores[label] >= self.thresholds[label]) for label in LABELS}
            evidence = select_evidence(doc, labels, sp, cues[rows])
            reasons = build_reasons(labels, doc, sp, cues[rows], evidence)
            meta = doc.frame.meta()
            if doc.conversion:
                meta["conversion"] = doc.conversion
            results.append(Result(id=ids[k], scores=scores, labels=labels, verdict=verdict_for(labels),
                                  reasons=reasons, evidence=evidence, meta=meta,
                                  model_version=self.model_version, sentences=len(doc.sentences)))
        return results


def load_scorer(path: str | Path | None = None) -> Scorer:
    """Load the default model (``BAOCAO_MODEL`` or ``models/baocao.joblib``) or the one at ``path``."""
    bundle, card = load_artifact(path)
    return Scorer(bundle["model"], bundle["model_version"], card)
