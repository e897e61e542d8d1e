"""One log line per request: request id, user, method, path, status, duration.

A pure ASGI middleware, outermost, so it sees the final status of every answer (including
the auth middleware's refusals). The request id is taken from a well-formed incoming
`X-Request-ID` (set by nginx, say) or made here, returned as `X-Request-ID`, and kept in
`scope["state"]["request_id"]` for error pages. The user is read from what the auth
middleware put into the scope; the query string is not logged (it may hold search text).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("kcmap.request")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _GOOD_ID.match(text) else None
    return None


def _user(scope: Scope) -> str:
    actor = scope.get("state", {}).get("kcmap_actor")
    name = getattr(actor, "username", None)
    return str(name) if name else "-"


class RequestLogMiddleware:
    """Log each HTTP request once, when its answer has been sent (or it failed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Tag the request with an id, run it, log one line."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = 500
        started = time.perf_counter()

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            ms = (time.perf_counter() - started) * 1000
            log.info("rid=%s user=%s %s %s %d %.1fms", rid, _user(scope), scope["method"],
                     scope["path"], status, ms)


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up plus the request log (kcmap.*) on standard error."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG}
    config["formatters"] = {**LOGGING_CONFIG["formatters"], "kcmap": {
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}}
    config["handlers"] = {**LOGGING_CONFIG["handlers"], "kcmap": {
        "class": "logging.StreamHandler", "formatter": "kcmap",
        "stream": "ext://sys.stderr"}}
    config["loggers"] = {**LOGGING_CONFIG["loggers"], "kcmap": {
        "handlers": ["kcmap"], "level": "INFO", "propagate": False}}
    return config
