"""Reviewer feedback as extra training documents (``baocao train --with-feedback``).

Source: the service's SQLite store or its ``GET /v1/feedback`` JSONL export.
A row with the full text becomes one training document labeled with the
reviewer's *corrected* labels (document level; no evidence spans, so its
sentences get the untagged weights of ``training.targets``). A row without
text cannot be trained on and is counted as skipped; when one text was
corrected more than once, the latest correction wins and the older rows are
counted as superseded. Every count goes into the model card.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from classifier.document import parse

from .data import DOC_TYPES, LABEL_NAMES, DataError, Record, iter_jsonl, validate

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class FeedbackSet:
    """Training records from feedback, and what happened to every row."""

    source: str
    records: list[Record] = field(default_factory=list)
    rows: int = 0
    skipped_no_text: int = 0
    superseded: int = 0

    @property
    def digest(self) -> str:
        """SHA-256 over the records' texts and labels: part of the model version."""
        h = hashlib.sha256()
        for r in self.records:
            h.update(json.dumps([r.text, r.labels], ensure_ascii=False, sort_keys=True).encode())
        return h.hexdigest()

    def summary(self) -> dict:
        return {"source": self.source, "rows": self.rows, "used": len(self.records),
                "skipped_no_text": self.skipped_no_text, "superseded": self.superseded, "hash": self.digest}


def _sqlite_rows(path: Path) -> Iterator[tuple[str, dict]]:
    from api.feedback_store import FeedbackStore  # the table's one reader; sqlite only, no web imports

    for row in FeedbackStore(path).rows():
        yield f"{path}#id={row['id']}", row


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict]]:
    for where, row in iter_jsonl(path):
        if not isinstance(row, dict):
            raise DataError(f"{where}: a feedback row must be a JSON object")
        yield where, row


def _labels(row: dict, where: str) -> dict[str, int]:
    corrected = row.get("corrected")
    if not isinstance(corrected, dict) or not all(isinstance(corrected.get(k), bool) for k in LABEL_NAMES):
        raise DataError(f"{where}: 'corrected' must hold true/false for {', '.join(LABEL_NAMES)}")
    return {k: int(corrected[k]) for k in LABEL_NAMES}


def _record(row: dict, where: str, labels: dict[str, int]) -> Record:
    text = unicodedata.normalize("NFC", row["text"])
    meta = parse(text).frame.meta()
    doc_type = meta.get("doc_type") if meta.get("doc_type") in DOC_TYPES else "bao_cao"  # metadata only
    obj = {"id": f"feedback-{row.get('id', where)}", "text": text, "labels": labels, "doc_type": doc_type,
           "domain": "feedback", "agency": meta.get("agency") or ""}
    validate(obj, where)
    return Record(id=obj["id"], text=text, labels=labels, doc_type=doc_type, domain="feedback",
                  agency=obj["agency"], split="train", part="feedback", source=where)


def load_feedback(source: Path | str) -> FeedbackSet:
    """Read feedback rows from a SQLite store or a JSONL export; a malformed row stops with its location."""
    path = Path(source)
    if not path.is_file():
        raise DataError(f"{path}: feedback file not found")
    with open(path, "rb") as fh:
        is_sqlite = fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    out = FeedbackSet(source=str(path))
    latest: dict[str, tuple[str, dict, dict[str, int]]] = {}
    for where, row in (_sqlite_rows(path) if is_sqlite else _jsonl_rows(path)):
        out.rows += 1
        labels = _labels(row, where)
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            out.skipped_no_text += 1
            continue
        key = hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
        if key in latest:
            out.superseded += 1
        latest[key] = (where, row, labels)  # rows are oldest first: the last correction wins
    out.records = [_record(row, where, labels) for where, row, labels in latest.values()]
    return out
