"""JSON-lines logs on stdout, and the access-log middleware that writes one line per request.

An access line holds the request id (also sent back as ``X-Request-ID``),
method, route template, status, latency and, when a document was scored,
its verdict — never the document text, the query string or headers.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "baocao.access"
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        out.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is at the time of the record (test captures, redirected servers)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stdout

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(level: str = "info") -> None:
    """Send the ``baocao`` loggers to stdout as JSON lines (idempotent: one handler however often called)."""
    logger = logging.getLogger("baocao")
    logger.setLevel(level.upper())
    logger.propagate = False
    if not any(getattr(h, "_baocao", False) for h in logger.handlers):
        handler = StdoutHandler()
        handler.setFormatter(JsonFormatter())
        handler._baocao = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/v1/score``), so log lines group by route, not by URL."""
    route = scope.get("route")
    if route is None:
        return "<unmatched>"
    path, template = scope.get("path", ""), getattr(route, "path", "")
    if not scope.get("path_params"):
        return path  # a route without parameters matched this exact path
    regex = getattr(route, "path_regex", None)
    for i, char in enumerate(path):  # routers included with a prefix keep their own path on the route
        if char == "/" and regex is not None and regex.match(path[i:]):
            return path[:i] + template
    return template


def request_id_from(scope: Scope) -> str:
    """The client's ``X-Request-ID`` when it is a short token, else a fresh one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _CLIENT_ID.match(text):
                return text
    return uuid.uuid4().hex


class AccessLogMiddleware:
    """Pure ASGI middleware (no body buffering): assigns the request id and logs the finished request.

    Routes add ``verdict``/``verdicts``/``error_code`` to ``scope["state"]``;
    only those whitelisted keys reach the log.
    """

    def __init__(self, app: ASGIApp):
        self.app = app
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_from(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + [(b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            entry = {"request_id": request_id, "method": scope.get("method"), "route": route_template(scope),
                     "status": status,
                     "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
            for key in ("verdict", "verdicts", "error_code"):
                if key in state:
                    entry[key] = state[key]
            self.log.info("request", extra=entry)


def uvicorn_log_config(level: str = "info") -> dict:
    """uvicorn's own messages (start-up, shutdown, errors) as JSON lines on stdout too; its access log is
    replaced by :class:`AccessLogMiddleware`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stdout": {"()": StdoutHandler, "formatter": "json"}},
        "loggers": {"uvicorn": {"handlers": ["stdout"], "level": level.upper(), "propagate": False},
                    "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False}},
    }
