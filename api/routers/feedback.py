"""Reviewer feedback: store a correction (committed before the 201), export every row as JSONL."""
from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..dependencies import FeedbackStoreDep, SettingsDep
from ..schemas import FeedbackCreated, FeedbackIn
from ..scoring import check_length

router = APIRouter(tags=["feedback"])


class NDJSONResponse(StreamingResponse):
    media_type = "application/x-ndjson"


@router.post("/feedback", status_code=201, response_model=FeedbackCreated,
             summary="Store a reviewer's correction of one scored document")
async def add_feedback(body: FeedbackIn, store: FeedbackStoreDep, settings: SettingsDep) -> dict:
    if body.text is not None:
        check_length(body.text, settings.max_text_chars)  # a text we could not train on is refused now
    return await run_in_threadpool(
        store.add, document_id=body.document_id, model_version=body.model_version,
        predicted=body.predicted.model_dump(), corrected=body.corrected.model_dump(), text=body.text,
        sha256=body.text_sha256, comment=body.comment, reviewer=body.reviewer)


@router.get("/feedback", response_class=NDJSONResponse,
            responses={200: {"description": "one JSON object per line (the FeedbackRow schema), oldest first",
                             "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}},
            summary="Export every feedback row as JSON lines (input of `baocao train --with-feedback`)")
async def export_feedback(store: FeedbackStoreDep) -> NDJSONResponse:
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in store.rows())
    return NDJSONResponse(lines)
