"""Where the API keeps things and who may call it.

Settings come from the command line (`mfactory serve`) or the environment, so the same
image runs under compose, on OpenShift and in the tests. The data directory holds what is
not inventory: source registrations, secret files (mode 0600), uploaded exports, the
current wave plan, the target profile and mapping, emitted MTV trees and reports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from factory.errors import InputError
from mfactory.api.auth import TokenTable, parse_tokens

DEFAULT_DATA = "factory-data"


@dataclass(frozen=True)
class Settings:
    db: str | None
    data_dir: Path
    tokens: TokenTable
    redis_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"

    def ensure_dirs(self) -> None:
        for sub in ("sources", "uploads", "waves", "mtv", "reports", "runs", "disks"):
            (self.data_dir / sub).mkdir(parents=True, exist_ok=True)
        self.secrets_dir.mkdir(parents=True, exist_ok=True)
        self.secrets_dir.chmod(0o700)


def load_settings(
    *,
    db: str | None = None,
    data_dir: str | Path | None = None,
    tokens_file: Path | None = None,
    tokens_env: str | None = None,
) -> Settings:
    """Build settings from flags, falling back to the environment. Tokens come from
    ``--tokens-file`` when given, else from ``MFACTORY_API_TOKENS``; with neither, the API
    refuses to start rather than serve inventory to anyone."""
    if tokens_file is not None:
        try:
            text = Path(tokens_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read tokens file {tokens_file}: {exc.strerror}", hint="check the path") from None
        tokens = parse_tokens(text, origin=f"tokens file {tokens_file}")
    else:
        text = tokens_env if tokens_env is not None else os.environ.get("MFACTORY_API_TOKENS", "")
        tokens = parse_tokens(text, origin="MFACTORY_API_TOKENS")
    if not tokens.entries:
        raise InputError(
            "no API tokens configured",
            hint="set MFACTORY_API_TOKENS=token:operator,token2:viewer or pass --tokens-file",
        )
    data = Path(data_dir or os.environ.get("MFACTORY_DATA") or DEFAULT_DATA).expanduser().resolve()
    redis_url = os.environ.get("REDIS_URL") or None
    settings = Settings(db=db or os.environ.get("MFACTORY_DB"), data_dir=data, tokens=tokens, redis_url=redis_url)
    settings.ensure_dirs()
    return settings
