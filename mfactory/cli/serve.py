"""`mfactory serve`: the REST API, the live cutover dashboard and the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import typer

from mfactory.cli.state import STATE, err_console


def register(app: typer.Typer) -> None:
    """Attach `serve` to the root app."""
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="TCP port."),
    tokens_file: Path = typer.Option(
        None, "--tokens-file", help="File of token:role entries [default: $MFACTORY_API_TOKENS]."
    ),
    data_dir: Path = typer.Option(
        None, "--data-dir", envvar="MFACTORY_DATA", help="Data directory [default: ./factory-data]."
    ),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the API (OpenAPI at /openapi.json, dashboard at /dashboard). Workers: Celery on
    $REDIS_URL, or an in-process pool when it is not set."""
    import uvicorn

    from mfactory.api.app import create_app
    from mfactory.api.settings import load_settings

    settings = load_settings(db=STATE.db, data_dir=data_dir, tokens_file=tokens_file)
    app = create_app(settings)
    workers = "celery via REDIS_URL" if settings.redis_url else "in-process"
    err_console.print(f"mfactory API on http://{host}:{port} (workers: {workers}, data: {settings.data_dir})")
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=True, proxy_headers=True)
