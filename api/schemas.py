"""Request and response models of the HTTP API; no logic lives here.

Response models mirror ``Result.to_dict()`` field for field (tests compare
them), so the OpenAPI schema is the contract that schemathesis checks.
"""
from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Verdict = Literal["dat", "can_bo_sung", "danh_trong_ghi_ten"]
Label = Literal["vague", "position", "proposal"]
DocId = Field(None, max_length=500, description="caller's identifier, echoed back in the result")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- the result object ------------------------------------------------------------------------------------------

class LabelScores(BaseModel):
    vague: float = Field(ge=0, le=1)
    position: float = Field(ge=0, le=1)
    proposal: float = Field(ge=0, le=1)


class LabelFlags(_Strict):
    vague: bool
    position: bool
    proposal: bool


class EvidenceOut(BaseModel):
    label: Label
    start: int = Field(ge=0, description="offset into the text as submitted")
    end: int = Field(ge=0)
    text: str
    score: float
    missing: list[str] | None = Field(None, description="only on vague evidence: anchors the sentence lacks")


class MetaOut(BaseModel):
    agency: str | None
    number: str | None
    date: str | None
    doc_type: str | None
    subject: str | None
    addressee: str | None
    conversion: str | None = Field(None, description="how the text reached Unicode: tcvn3, vni (pasted legacy text "
                                   "repaired), nfd (decomposed input, recorded); absent for UTF-8 NFC text")


class ResultOut(BaseModel):
    """The result object (README, "The result object")."""

    id: str | None
    scores: LabelScores
    labels: LabelFlags
    verdict: Verdict
    reasons: list[str]
    evidence: list[EvidenceOut]
    meta: MetaOut
    model_version: str
    text: str | None = Field(None, description="present only when the service repaired pasted TCVN3/VNI text "
                             "(meta.conversion): the text the evidence offsets index")


class ErrorDetail(BaseModel):
    """``BaocaoError.to_dict()``: a stable code, the Vietnamese message, the English one."""

    code: str
    message: str
    message_en: str
    fields: list[dict] | None = Field(None, description="validation errors only: location and reason per field")


class ErrorResponse(BaseModel):
    error: ErrorDetail
    request_id: str | None = None


class ErrorItem(BaseModel):
    """A batch document that could not be scored; the rest of the batch is unaffected."""

    id: str | None
    error: ErrorDetail


# ---- scoring -----------------------------------------------------------------------------------------------------

class ScoreRequest(_Strict):
    text: str = Field(description="the document's text (limit: BAOCAO_MAX_TEXT_CHARS, 413 beyond)")
    id: str | None = DocId


class BatchDocument(_Strict):
    id: str | None = DocId
    text: str


class BatchRequest(_Strict):
    documents: list[BatchDocument] = Field(description="up to BAOCAO_MAX_BATCH documents (413 beyond)")


class BatchResponse(BaseModel):
    results: list[ResultOut | ErrorItem] = Field(description="one item per document, in request order")


class DocumentOut(BaseModel):
    """What was read from an uploaded file; ``text`` is what evidence offsets index."""

    filename: str
    format: Literal["txt", "docx", "pdf"]
    encoding: str | None
    conversion: str | None = Field(description="how the text was obtained when not read verbatim (Vietnamese)")
    chars: int
    text: str


class FileScoreResponse(BaseModel):
    result: ResultOut
    document: DocumentOut


# ---- model and health --------------------------------------------------------------------------------------------

class ModelCard(BaseModel):
    """The model card written by ``baocao train`` (extra fields pass through unchanged)."""

    model_config = ConfigDict(extra="allow")

    name: str
    model_version: str
    artifact_sha256: str
    created: str
    thresholds: dict[str, float]
    data: dict
    metrics: dict


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    model_version: str | None = None
    artifact_sha256: str | None = None
    error: ErrorDetail | None = None


# ---- reviewer feedback -------------------------------------------------------------------------------------------

class FeedbackIn(_Strict):
    """A reviewer's correction of one scored document."""

    document_id: str = Field(min_length=1, max_length=500)
    text: str | None = Field(None, description="full text (needed to train on the correction)")
    text_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$",
                                    description="SHA-256 of the UTF-8 text, when the text is not sent")
    model_version: str = Field(min_length=1, max_length=100)
    predicted: LabelFlags
    corrected: LabelFlags
    comment: str | None = Field(None, max_length=5000)
    reviewer: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _text_or_hash(self) -> FeedbackIn:
        if self.text is None and self.text_sha256 is None:
            raise ValueError("send 'text' or 'text_sha256'")
        if self.text is not None and self.text_sha256 is not None:
            if hashlib.sha256(self.text.encode("utf-8")).hexdigest() != self.text_sha256:
                raise ValueError("text_sha256 is not the SHA-256 of the UTF-8 text")
        return self


class FeedbackCreated(BaseModel):
    id: int
    text_sha256: str
    created: str


class FeedbackRow(BaseModel):
    """One line of the ``GET /v1/feedback`` JSONL export."""

    id: int
    created: str
    document_id: str
    text: str | None
    text_sha256: str
    model_version: str
    predicted: LabelFlags
    corrected: LabelFlags
    comment: str | None
    reviewer: str | None
