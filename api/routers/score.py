"""Scoring routes: one text, a batch of texts, one uploaded file."""
from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from classifier.errors import InputTooLargeError

from ..dependencies import ScorerDep, SettingsDep
from ..schemas import BatchRequest, BatchResponse, FileScoreResponse, ResultOut, ScoreRequest
from ..scoring import read_and_score, safe_filename, score_documents, score_text

router = APIRouter(tags=["score"])
MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and the id field around the file itself


@router.post("/score", response_model=ResultOut, response_model_exclude_unset=True,
             summary="Score one document's text")
async def score(body: ScoreRequest, request: Request, scorer: ScorerDep, settings: SettingsDep) -> dict:
    batcher = request.app.state.batcher  # set in the lifespan once the model is loaded (BAOCAO_MICRO_BATCH)
    if batcher is not None:
        result = await batcher.score(body.text, body.id)
    else:
        result = await run_in_threadpool(score_text, scorer, body.text, body.id, settings.max_text_chars)
    request.state.verdict = result.verdict
    return result.to_dict()


@router.post("/score/batch", response_model=BatchResponse, response_model_exclude_unset=True,
             summary="Score up to BAOCAO_MAX_BATCH documents; bad documents become error items")
async def score_batch(body: BatchRequest, request: Request, scorer: ScorerDep, settings: SettingsDep) -> dict:
    n = len(body.documents)
    if n > settings.max_batch:
        raise InputTooLargeError(f"Lô có {n} văn bản, tối đa {settings.max_batch} văn bản mỗi yêu cầu.",
                                 f"batch has {n} documents (max {settings.max_batch} per request)")
    pairs = [(d.id, d.text) for d in body.documents]
    results = await run_in_threadpool(score_documents, scorer, pairs, settings.max_text_chars)
    request.state.verdicts = dict(Counter(r.get("verdict", "error") for r in results))
    return {"results": results}


@router.post("/score/file", response_model=FileScoreResponse, response_model_exclude_unset=True,
             summary="Score an uploaded .txt, .docx or .pdf; returns the extracted text too")
async def score_file(file: Annotated[UploadFile, File(description=".txt (UTF-8/16, Windows-1258), .docx, .pdf")],
                     request: Request, scorer: ScorerDep, settings: SettingsDep,
                     id: Annotated[str | None, Form(max_length=500)] = None) -> dict:
    filename = safe_filename(file.filename)
    limit = settings.max_file_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise InputTooLargeError(f"Tệp quá lớn (hơn {limit / 1024 / 1024:.0f} MB).",
                                 f"file too large (more than {limit} bytes)")
    out = await run_in_threadpool(read_and_score, scorer, filename, data, id if id is not None else filename,
                                  limit, settings.max_text_chars)
    request.state.verdict = out["result"]["verdict"]
    return out
