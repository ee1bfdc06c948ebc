"""`mfactory`: the command line. Thin: parse, validate, call the stages, print.

Errors are one line on stderr (`error: ...` then `hint: ...`); exit 2 for bad input, 1 for
runtime failures; a traceback only with `-v`.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import typer

from factory.errors import FactoryError, InputError
from mfactory.cli import cutover, demo, disk, inventory, mtv, risk, serve, waves, worker
from mfactory.cli.state import STATE

app = typer.Typer(
    name="mfactory",
    help="migration-factory: move vSphere and RHV estates to OpenShift Virtualization.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    db: str = typer.Option(
        None, "--db", envvar="MFACTORY_DB", help="Store: a SQLite file path or a SQLAlchemy URL [default: ./factory.db]"
    ),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Show tracebacks and debug logs."),
) -> None:
    STATE.db = db
    STATE._store = None
    STATE.verbose = verbose
    STATE.configure_logging()


for module in (inventory, risk, waves, mtv, worker, disk, cutover, serve, demo):
    module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps factory errors to one line and an exit code."""
    try:
        app(args=argv, prog_name="mfactory")
    except FactoryError as exc:
        _fail(exc, exc.exit_code, exc.hint)
    except KeyboardInterrupt:
        _fail(None, 130, None, "interrupted")
    except (OSError, ValueError) as exc:
        # Unexpected but explainable at the boundary (a file vanished, a disk filled up).
        _fail(exc, 1, "run again with -v for details")


def _fail(exc: BaseException | None, code: int, hint: str | None, message: str | None = None) -> None:
    if STATE.verbose and exc is not None:
        traceback.print_exception(exc)
    text = message or str(exc)
    print(f"error: {text}", file=sys.stderr, flush=True)
    if hint:
        print(f"hint: {hint}", file=sys.stderr, flush=True)
    raise SystemExit(code)


__all__ = ["InputError", "Path", "app", "main"]
