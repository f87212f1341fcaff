"""``POST /v1/return-note``: the phiếu đề nghị bổ sung for a document, as JSON or as a .docx download.

The body carries the document's text, not a result: the note is composed from
a fresh score, so it cannot disagree with the model (scoring costs milliseconds).
"""
from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from classifier import Scorer
from classifier.agencies import fold
from classifier.return_note import ReturnNote, compose_return_note

from ..dependencies import ScorerDep, SettingsDep
from ..schemas import Verdict
from ..scoring import score_text

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_NOTE_CHARS = 50_000

router = APIRouter(tags=["return note"])


class ReturnNoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the document's text, as sent to /v1/score (or document.text of /v1/score/file)")
    id: str | None = Field(None, max_length=500, description="caller's identifier; names the .docx file")
    sender: str | None = Field(None, max_length=200, description="reviewing office named in the closing line")
    note_text: str | None = Field(None, max_length=MAX_NOTE_CHARS,
                                  description="the note as edited by the reviewer; replaces the composed one")


class ReturnNoteOut(BaseModel):
    text: str = Field(description="the note, plain text, paragraphs separated by blank lines")
    needed: bool = Field(description="false when the verdict is 'dat': nothing to request")
    addressee: str
    verdict: Verdict
    model_version: str


def docx_filename(doc_id: str | None) -> str:
    """``phieu-de-nghi-bo-sung[-<id folded to ASCII>].docx``."""
    stem = re.sub(r"\.(txt|docx|pdf)$", "", doc_id or "", flags=re.I)  # an uploaded file's name
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")[:60]
    return f"phieu-de-nghi-bo-sung{'-' + slug if slug else ''}.docx"


def _compose(scorer: Scorer, body: ReturnNoteRequest, max_chars: int) -> tuple[ReturnNote, dict]:
    result = score_text(scorer, body.text, body.id, max_chars).to_dict()
    note = compose_return_note(result, sender=body.sender)
    if body.note_text is not None and body.note_text.strip():
        edited = ReturnNote.from_text(body.note_text)
        edited.needed = note.needed
        note = edited
    return note, result


@router.post("/return-note", response_model=ReturnNoteOut, summary="Compose the return note (phiếu đề nghị bổ sung)",
             responses={200: {"content": {DOCX_MEDIA: {"schema": {"type": "string", "format": "binary"}}},
                              "description": "JSON, or with ?format=docx a Word file (attachment)"}})
async def return_note(body: ReturnNoteRequest, request: Request, scorer: ScorerDep, settings: SettingsDep,
                      fmt: Annotated[Literal["json", "docx"], Query(alias="format")] = "json"):
    note, result = await run_in_threadpool(_compose, scorer, body, settings.max_text_chars)
    request.state.verdict = result["verdict"]
    if fmt == "docx":
        data = await run_in_threadpool(note.to_docx)
        name = docx_filename(body.id)
        disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
        return Response(data, media_type=DOCX_MEDIA, headers={"Content-Disposition": disposition})
    return {"text": note.text, "needed": note.needed, "addressee": note.addressee,
            "verdict": result["verdict"], "model_version": result["model_version"]}
