"""Request dependencies: settings, the loaded scorer, the API key check."""
from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from classifier import Scorer
from classifier.errors import ModelNotFoundError

from .errors import UnauthorizedError
from .feedback_store import FeedbackStore
from .settings import Settings

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <BAOCAO_API_KEY>")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="X-API-Key: <BAOCAO_API_KEY>")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_scorer(request: Request) -> Scorer:
    """The scorer loaded at start-up; 503 with the load error while there is none."""
    scorer = getattr(request.app.state, "scorer", None)
    if scorer is None:
        raise getattr(request.app.state, "model_error", None) or ModelNotFoundError(
            "Mô hình chưa được tải; dịch vụ chưa sẵn sàng.", "model not loaded: the service is not ready")
    return scorer


def get_feedback_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store


def keys_match(given: str, expected: str) -> bool:
    """Constant-time comparison, so response time does not reveal how much of a key was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def require_api_key(settings: Annotated[Settings, Depends(get_settings)],
                    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
                    api_key: Annotated[str | None, Security(_api_key_header)] = None) -> None:
    """When ``BAOCAO_API_KEY`` is set, accept ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``."""
    if settings.api_key is None:
        return
    expected = settings.api_key.get_secret_value()
    given = [c for c in (bearer.credentials if bearer else None, api_key) if c is not None]
    if not any(keys_match(c, expected) for c in given):
        raise UnauthorizedError(
            "Thiếu hoặc sai khóa API: gửi tiêu đề 'Authorization: Bearer <khóa>' hoặc 'X-API-Key: <khóa>'.",
            "missing or invalid API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")


SettingsDep = Annotated[Settings, Depends(get_settings)]
ScorerDep = Annotated[Scorer, Depends(get_scorer)]
FeedbackStoreDep = Annotated[FeedbackStore, Depends(get_feedback_store)]
