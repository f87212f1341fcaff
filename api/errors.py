"""One mapping from errors to HTTP statuses, and the handlers that give every error the same JSON shape.

Body: ``{"error": {"code", "message" (vi), "message_en"}, "request_id"}`` —
the ``BaocaoError.to_dict()`` shape, so a client reads batch error items and
request errors the same way. Nothing reaches the client as a bare 500.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from classifier.errors import (BaocaoError, ContentLimitError, EmptyDocumentError, InputTooLargeError,
                               InvalidRecordError, ModelIntegrityError, ModelNotFoundError, UnreadableInputError,
                               UnsupportedFormatError)

from .body_limit import LIMIT_SCOPE_KEY, too_large_error
from .schemas import ErrorResponse

log = logging.getLogger("baocao.api")


class UnauthorizedError(BaocaoError):
    """Missing or wrong API key."""

    code = "unauthorized"


STATUS: dict[type[BaocaoError], int] = {
    UnauthorizedError: 401,
    ContentLimitError: 422,  # a file within the size limit whose content exceeds a reading limit
    InputTooLargeError: 413,
    UnsupportedFormatError: 415,
    EmptyDocumentError: 422,
    UnreadableInputError: 422,
    InvalidRecordError: 422,
    ModelNotFoundError: 503,
    ModelIntegrityError: 503,
}

# statuses each route may answer with, for the OpenAPI document
ERROR_RESPONSES = {code: {"model": ErrorResponse} for code in (400, 401, 413, 415, 422, 500, 503)}

_HTTP_MESSAGES = {
    400: ("Không đọc được nội dung yêu cầu (JSON hoặc biểu mẫu hỏng, hoặc không phải UTF-8).",
          "request body could not be parsed (malformed JSON or form, or not UTF-8)"),
    404: ("Không có địa chỉ này.", "not found"),
    405: ("Phương thức không được hỗ trợ cho địa chỉ này.", "method not allowed"),
    406: ("Không có định dạng trả lời phù hợp.", "not acceptable"),
    415: ("Kiểu nội dung không được hỗ trợ.", "unsupported media type"),
}


def status_for(err: BaocaoError) -> int:
    """The status of the most specific mapped class (a subclass may override its parent)."""
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 422


def _request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def error_response(request: Request, status: int, body: dict, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": body, "request_id": _request_id(request)}, status_code=status, headers=headers)


async def baocao_error_handler(request: Request, err: BaocaoError) -> JSONResponse:
    status = status_for(err)
    request.scope.setdefault("state", {})["error_code"] = err.code
    headers = {"WWW-Authenticate": 'Bearer, ApiKey header="X-API-Key"'} if status == 401 else None
    return error_response(request, status, err.to_dict(), headers)


def _clean(value: object) -> str:
    """Printable as UTF-8 even when a JSON key held a lone surrogate."""
    return str(value).encode("utf-8", "replace").decode("utf-8")[:200]


def _field(error: dict) -> dict:
    """A validation error without its ``input``: never echo (or log) a document back."""
    return {"loc": [_clean(p) for p in error.get("loc", ())], "msg": _clean(error.get("msg", "")),
            "type": _clean(error.get("type", ""))}


async def validation_error_handler(request: Request, err: RequestValidationError) -> JSONResponse:
    fields = [_field(e) for e in err.errors()]
    where = "; ".join(f"{'.'.join(f['loc'][1:] or f['loc'])}: {f['msg']}" for f in fields[:5])
    body = {"code": "invalid_request", "message": f"Yêu cầu không hợp lệ ({where}).",
            "message_en": f"invalid request ({where})", "fields": fields}
    request.scope.setdefault("state", {})["error_code"] = "invalid_request"
    return error_response(request, 422, body)


async def http_error_handler(request: Request, err: StarletteHTTPException) -> JSONResponse:
    if err.status_code == 413:  # raised while reading the body (api.body_limit)
        body = too_large_error(request.scope.get(LIMIT_SCOPE_KEY, 0)).to_dict()
    else:
        vi, en = _HTTP_MESSAGES.get(err.status_code, ("Yêu cầu không thực hiện được.", str(err.detail)))
        body = {"code": f"http_{err.status_code}", "message": vi, "message_en": en}
    request.scope.setdefault("state", {})["error_code"] = body["code"]
    return error_response(request, err.status_code, body, getattr(err, "headers", None))


async def unexpected_error_handler(request: Request, err: Exception) -> JSONResponse:
    """Last resort: log the traceback (never the document) and answer in the same shape."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    body = {"code": "internal", "message": "Lỗi hệ thống; yêu cầu chưa được xử lý. Hãy thử lại hoặc báo quản trị.",
            "message_en": f"internal error ({type(err).__name__})"}
    return error_response(request, 500, body)


def install(app: FastAPI) -> None:
    app.add_exception_handler(BaocaoError, baocao_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
