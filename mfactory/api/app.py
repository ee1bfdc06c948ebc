"""The FastAPI application: one router per stage, token auth, errors that name the field."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from mfactory.api import errors
from mfactory.api.routes import cutover, dashboard, health, inventory, jobs, mtv, risk, sources, target, waves
from mfactory.api.services import Services
from mfactory.api.settings import Settings

DESCRIPTION = """
The migration factory as a service: sources, inventory, risk, waves, MTV bundles and cutover
runs. Every call except `/healthz` and this document needs `Authorization: Bearer <token>`;
`viewer` tokens read, `operator` tokens also write and start work. Long work (imports,
collections, cutover runs) returns `202` with a job; poll `/api/v1/jobs/{id}`.
"""


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        dispatcher = app.state.services.__dict__.get("dispatcher")
        if dispatcher is not None and hasattr(dispatcher, "shutdown"):
            dispatcher.shutdown()

    app = FastAPI(
        title="migration-factory",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = Services(settings)
    errors.install(app)
    for module in (health, sources, jobs, inventory, target, risk, waves, mtv, cutover, dashboard):
        app.include_router(module.router)
    return app
