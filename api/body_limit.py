"""Request body limit: refuse by ``Content-Length`` before reading, and count streamed bytes as they arrive.

A chunked request has no ``Content-Length``, so counting is the only guard
against a client that streams more than it may. The limit is per path:
``BAOCAO_MAX_BODY_BYTES`` by default, the file limit plus multipart overhead
for the upload route. Both refusals answer 413 in the service's error shape.
"""
from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from classifier.errors import InputTooLargeError

LIMIT_SCOPE_KEY = "baocao.max_body_bytes"


class BodyTooLarge(HTTPException):
    """Raised from ``receive``; an HTTPException so FastAPI's body parsing re-raises it to the 413 handler."""

    def __init__(self, limit: int):
        super().__init__(status_code=413, detail=f"request body larger than {limit} bytes")
        self.limit = limit


def too_large_error(limit: int) -> InputTooLargeError:
    return InputTooLargeError(f"Yêu cầu quá lớn (tối đa {limit / 1024 / 1024:.0f} MB).",
                              f"request body too large (max {limit} bytes)")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, default_limit: int, path_limits: dict[str, int] | None = None):
        self.app = app
        self.default_limit = default_limit
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope.get("path", ""), self.default_limit)
        scope[LIMIT_SCOPE_KEY] = limit
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, send, limit)  # nothing read, nothing parsed
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:  # read outside FastAPI's body parsing (which turns it into the 413 response)
            if started:
                raise
            await _refuse(scope, send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    state = scope.setdefault("state", {})
    state["error_code"] = "too_large"
    body = json.dumps({"error": too_large_error(limit).to_dict(), "request_id": state.get("request_id")},
                      ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
