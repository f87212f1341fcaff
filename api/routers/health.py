"""Liveness and readiness, open without an API key (for load balancers and the operator)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..dependencies import get_scorer
from ..schemas import Health, Readiness
from classifier.errors import BaocaoError

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness, response_model_exclude_none=True,
            responses={503: {"model": Readiness, "description": "model not loaded or not verified"}},
            summary="The model is loaded and its SHA-256 matched its card")
async def readyz(request: Request):
    try:
        scorer = get_scorer(request)
    except BaocaoError as err:
        return JSONResponse({"status": "not_ready", "error": err.to_dict()}, status_code=503)
    return {"status": "ready", "model_version": scorer.model_version,
            "artifact_sha256": scorer.card.get("artifact_sha256")}
