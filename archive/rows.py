"""The batch output row: the one place its columns are defined in code (see the README's "Scoring the archive").

A row is a flat dict with :data:`COLUMNS` as keys. In memory and in .jsonl,
``reasons`` and ``evidence`` are real lists; .csv and .parquet store them as
JSON strings (:func:`flat`).
"""
from __future__ import annotations

import json

from classifier.agencies import canonical_agency
from classifier.document import ParsedDocument
from classifier.errors import BaocaoError
from classifier.explain import Result
from classifier.model import LABELS

from .sources import Item

COLUMNS: tuple[str, ...] = (
    "id", "source", "agency", "agency_raw", "number", "date", "doc_type",
    "score_vague", "score_position", "score_proposal", "label_vague", "label_position", "label_proposal",
    "verdict", "reasons", "evidence", "conversion", "words", "model_version", "error_code", "error",
)
JSON_COLUMNS = ("reasons", "evidence")
STRING_COLUMNS = ("id", "source", "agency", "agency_raw", "number", "date", "doc_type", "verdict", "reasons",
                  "evidence", "conversion", "model_version", "error_code", "error")
FLOAT_COLUMNS = tuple(f"score_{label}" for label in LABELS)
BOOL_COLUMNS = tuple(f"label_{label}" for label in LABELS)
INT_COLUMNS = ("words",)


def _base(item: Item) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(id=item.id, source=item.source, agency=canonical_agency(item.agency), agency_raw=item.agency,
               date=item.date, reasons=[], evidence=[])
    return row


def result_row(item: Item, result: Result, doc: ParsedDocument, conversion: str | None, words: int) -> dict:
    """A scored document: the result object flattened, the input's agency and date preferred over the frame's."""
    data = result.to_dict()
    row = _base(item)
    frame = doc.frame
    if item.agency is None:
        row.update(agency=frame.agency, agency_raw=frame.agency_raw)
    row.update(number=frame.number, date=item.date or frame.date, doc_type=frame.doc_type,
               verdict=data["verdict"], reasons=data["reasons"], evidence=data["evidence"], conversion=conversion,
               words=words, model_version=data["model_version"])
    for label in LABELS:
        row[f"score_{label}"] = data["scores"][label]
        row[f"label_{label}"] = data["labels"][label]
    return row


def error_row(item: Item, err: BaocaoError, conversion: str | None = None) -> dict:
    """A document that could not be scored: id, source and the precise reason; every score column null."""
    row = _base(item)
    row.update(conversion=conversion, error_code=err.code, error=f"{err.message_vi} ({err.message_en})")
    return row


def flat(row: dict) -> dict:
    """The row as .csv and .parquet store it: ``reasons`` and ``evidence`` JSON-encoded."""
    out = dict(row)
    for column in JSON_COLUMNS:
        out[column] = json.dumps(row[column] if row[column] is not None else [], ensure_ascii=False)
    return out


def arrow_schema():
    """The Parquet schema of the output (pyarrow is imported only when Parquet is read or written)."""
    import pyarrow as pa

    types = {**{c: pa.string() for c in STRING_COLUMNS}, **{c: pa.float64() for c in FLOAT_COLUMNS},
             **{c: pa.bool_() for c in BOOL_COLUMNS}, **{c: pa.int64() for c in INT_COLUMNS}}
    return pa.schema([(c, types[c]) for c in COLUMNS])
