"""A request id on every log line of a web request (issue 17, item 6).

Outermost ASGI middleware: the id a trusted reverse proxy sent in ``X-Request-ID`` (letters,
digits, ``.-_``, at most 64) or a new one, bound for the request (`crawler.logs.scoped`), so
the app's lines and uvicorn's access line (written while the response starts, in the
request's task) carry ``request_id``; the response echoes it for the officer's bug report.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from crawler.logs import scoped

HEADER = b"x-request-id"
_SAFE = re.compile(rb"[A-Za-z0-9._-]{1,64}")


class RequestIds:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope.get("headers") or [] if name == HEADER), b"")
        request_id = given.decode("ascii") if _SAFE.fullmatch(given) else uuid.uuid4().hex[:16]

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(n, v) for n, v in message.get("headers") or [] if n.lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, request_id.encode("ascii"))]}
            await send(message)

        with scoped(request_id=request_id):
            await self.app(scope, receive, send_with_id)
