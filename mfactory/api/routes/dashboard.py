"""The live cutover dashboard: a static page + script + style, served without a token.

The page holds no data. It asks for a token, keeps it in the tab's sessionStorage and sends
it as a bearer header on every data call (the runs list, each run's progress and its
server-sent event stream), so no inventory or progress leaves the API without a token.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

_SECURITY = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _asset(name: str, media_type: str) -> Response:
    body = resources.files("mfactory.api").joinpath("static").joinpath(name).read_bytes()
    return Response(body, media_type=media_type, headers=_SECURITY)


@router.get("/dashboard")
def dashboard() -> Response:
    return _asset("dashboard.html", "text/html; charset=utf-8")


@router.get("/dashboard/app.js")
def script() -> Response:
    return _asset("app.js", "text/javascript; charset=utf-8")


@router.get("/dashboard/style.css")
def style() -> Response:
    return _asset("style.css", "text/css; charset=utf-8")
