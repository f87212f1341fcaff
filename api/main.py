"""The FastAPI application: ``create_app(settings)`` wires settings, model, routers, errors and logging.

``baocao serve`` runs it under uvicorn. The model is loaded once, in the
lifespan, by ``classifier.load_scorer`` (which verifies the artifact's
SHA-256 against its card); a missing or mismatched model leaves the process
alive with ``/readyz`` at 503 and the scoring routes answering 503.
"""
from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import APIRouter, Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from classifier import __version__, load_scorer
from classifier.errors import BaocaoError, ModelIntegrityError

from . import errors
from .batcher import ScoringBatcher
from .body_limit import BodyLimitMiddleware
from .dependencies import require_api_key
from .feedback_store import FeedbackStore
from .logging import AccessLogMiddleware, configure_logging
from .scoring import score_batch
from .scoring_pool import ScoringPool
from .routers import feedback, health, model, page, return_note, score
from .settings import Settings

log = logging.getLogger("baocao.api")

DESCRIPTION = """Chấm báo cáo, tờ trình, công văn: chung chung? có quan điểm? có đề xuất cụ thể?

Every error has the body `{"error": {"code", "message" (Vietnamese), "message_en"}, "request_id"}`.
When `BAOCAO_API_KEY` is set, every `/v1` route needs `Authorization: Bearer <key>` or `X-API-Key: <key>`."""


def load_model(app: FastAPI) -> None:
    """Load and verify the configured model into ``app.state`` (blocking; runs in a worker thread)."""
    settings: Settings = app.state.settings
    started = time.perf_counter()
    try:
        scorer = load_scorer(settings.model)
    except BaocaoError as err:
        _model_failed(app, err)
        return
    except Exception as err:  # a damaged pickle that still matched its card, a library mismatch
        _model_failed(app, ModelIntegrityError("Không đọc được mô hình.", f"model could not be loaded ({err!r})"))
        return
    app.state.scorer, app.state.model_error = scorer, None
    log.info("model loaded", extra={"model_version": scorer.model_version,
                                    "seconds": round(time.perf_counter() - started, 2),
                                    "artifact_sha256": scorer.card.get("artifact_sha256")})


def _model_failed(app: FastAPI, err: BaocaoError) -> None:
    """Log the full reason for the operator; clients get the code and a message without server paths."""
    log.error("model not loaded: %s", err, extra={"error_code": err.code})
    app.state.scorer = None
    app.state.model_error = type(err)("Mô hình chưa sẵn sàng (thiếu mô hình hoặc không khớp thẻ mô hình); "
                                      "xem nhật ký dịch vụ.",
                                      "model not ready (missing, or does not match its card); see the service log")


def start_scoring_pool(settings: Settings) -> ScoringPool | None:
    """The scoring processes, each with its model loaded and verified; None (score in a thread) if they fail."""
    pool = ScoringPool(settings.model, settings.scoring_processes, settings.max_text_chars)
    started = time.perf_counter()
    try:
        pool.warm_up()
    except Exception as err:
        log.error("scoring processes failed to start (%r); scoring in a thread of this process instead", err)
        pool.close()
        return None
    log.info("scoring processes ready", extra={"processes": settings.scoring_processes,
                                               "seconds": round(time.perf_counter() - started, 2)})
    return pool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(load_model, app)
    settings: Settings = app.state.settings
    pool = None
    if app.state.scorer is not None and settings.micro_batch:
        if settings.scoring_processes > 0:
            pool = await run_in_threadpool(start_scoring_pool, settings)
        if pool is not None:
            app.state.batcher = ScoringBatcher(pool, threads=settings.scoring_processes,
                                               max_batch=settings.micro_batch_docs)
        else:
            app.state.batcher = ScoringBatcher(partial(score_batch, app.state.scorer, max_chars=settings.max_text_chars),
                                               max_batch=settings.micro_batch_docs)
    try:
        yield
    finally:
        if app.state.batcher is not None:
            await run_in_threadpool(app.state.batcher.close)  # finishes the batches in hand
            app.state.batcher = None
        if pool is not None:
            await run_in_threadpool(pool.close)


def include_v1(app: FastAPI, router: APIRouter, **kwargs) -> None:
    """Mount a router under ``/v1`` behind the API key, with the shared error responses documented."""
    app.include_router(router, prefix="/v1", dependencies=[Depends(require_api_key)],
                       responses=errors.ERROR_RESPONSES, **kwargs)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    # /docs and /redoc with Swagger UI and ReDoc from the package's files under /docs-static: FastAPI's defaults load
    # them from a CDN, which a city network without internet access cannot reach
    app = FastAPIOffline(title="baocao", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                         static_url="/docs-static")
    app.state.settings = settings
    app.state.scorer = None
    app.state.model_error = None
    app.state.batcher = None
    app.state.feedback_store = FeedbackStore(settings.db_path)
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, default_limit=settings.max_body_bytes,
                       path_limits={"/v1/score/file": settings.max_file_bytes + score.MULTIPART_OVERHEAD})
    app.add_middleware(AccessLogMiddleware)  # outermost: logs and tags every response, 413s included

    app.include_router(health.router)
    include_v1(app, score.router)
    include_v1(app, model.router)
    include_v1(app, feedback.router)
    include_v1(app, return_note.router)
    app.include_router(page.router)  # "/" and "/static": open without the API key
    return app
