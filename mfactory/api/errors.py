"""Every failure becomes a 4xx (or 503) with a message that names what to fix — never a 500.

- Request validation (pydantic / FastAPI) -> 422 ``{"error": "body.port: ...", "field": ...}``.
- :class:`InputError` -> 400 (the stage refused the input; the message says which).
- :class:`NotFound` -> 404, :class:`Conflict` -> 409 (e.g. no wave plan yet).
- :class:`FactoryError` -> 503 (a runtime failure: broker, store, tool).

Messages come from the stages, which never put secrets into them; handlers log the
message, never the request body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from factory.errors import FactoryError, InputError

log = logging.getLogger("mfactory.api")


class NotFound(InputError):
    """The named thing (source, VM, job, run, wave) does not exist."""


class Conflict(FactoryError):
    """The request is valid but the state does not allow it yet (no plan, no bundle)."""


def _body(message: str, hint: str | None = None, field: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    if hint:
        body["hint"] = hint
    body.update(extra)
    return body


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    details = [{"field": _loc(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in errors]
    first = details[0] if details else {"field": "request", "message": "invalid request"}
    message = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return JSONResponse(status_code=422, content=_body(message, field=first["field"], details=details))


async def _input(_request: Request, exc: InputError) -> JSONResponse:
    code = 404 if isinstance(exc, NotFound) else 400
    return JSONResponse(status_code=code, content=_body(exc.message, exc.hint, getattr(exc, "field", None)))


async def _factory(request: Request, exc: FactoryError) -> JSONResponse:
    code = 409 if isinstance(exc, Conflict) else 503
    log.warning("%s %s failed: %s", request.method, request.url.path, exc.message)
    return JSONResponse(status_code=code, content=_body(exc.message, exc.hint))


async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        status_code=exc.status_code, content=_body(str(exc.detail)), headers=getattr(exc, "headers", None)
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A bug: log the type and where, keep the body generic (it may hold a secret).
    log.error("unexpected %s in %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    return JSONResponse(status_code=500, content=_body("internal error", "see the server log"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(InputError, _input)
    app.add_exception_handler(FactoryError, _factory)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


def field_error(field: str, message: str, hint: str | None = None) -> InputError:
    """An :class:`InputError` that names the request field it is about."""
    err = InputError(f"{field}: {message}", hint=hint)
    err.field = field  # type: ignore[attr-defined]
    return err
