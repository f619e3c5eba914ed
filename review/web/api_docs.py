"""The API's OpenAPI schema (`/api/v1/openapi.json`) and a docs page (`/api/v1/docs`), for
logged-in users only (a session or a token): the schema maps what the app exposes.

The docs page is server-rendered from the schema, not Swagger UI: Swagger needs inline
and third-party scripts, which the Content-Security-Policy rightly forbids.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response

from review.web import api
from review.web import helpers as web
from review.web.api_auth import API_PREFIX, CSRF_HEADER, Caller

router = APIRouter(prefix=API_PREFIX)

METHODS: Final = ("get", "post", "put", "patch", "delete")


def schema() -> dict[str, Any]:
    document = get_openapi(
        title="listingwatch API",
        version="1",
        description=(
            "Send `Authorization: Bearer <token>` (`listingwatch token create USER --scope read|write`). "
            f"A read token may only GET. With a web session cookie instead, a POST needs `{CSRF_HEADER}`."
        ),
        routes=api.router.routes,
    )
    document.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    document["security"] = [{"bearer": []}]
    return document


@router.get("/openapi.json", include_in_schema=False)
def openapi_json(caller: Caller) -> Response:
    return JSONResponse(schema())


@router.get("/docs", include_in_schema=False)
def docs_page(request: Request, caller: Caller) -> Response:
    endpoints = [
        {"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
         "params": [p["name"] for p in operation.get("parameters", [])]}
        for path, item in schema()["paths"].items()
        for method, operation in item.items() if method in METHODS
    ]
    return web.render(request, "api_docs.html", {"endpoints": endpoints, "csrf_header": CSRF_HEADER},
                      user=caller.user)


__all__ = ["router", "schema"]
