"""Registered live sources (vCenter, RHV engine) and their secrets.

A registration is what a later collection needs: endpoint, user, TLS settings — kept as a
JSON file under ``DATA/sources``. The password is written to its own file under
``DATA/secrets`` (directory 0700, file 0600), which the collecting worker reads with the
collectors' own ``--password-file`` path. It is never put into the store, a job's
parameters, the broker, a log line or a response; deleting the registration deletes it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from mfactory.api.errors import NotFound, field_error

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"


class SourceRegistration(BaseModel):
    """What the API shows of a registered source: everything but the password."""

    name: str = Field(pattern=NAME_PATTERN)
    kind: Literal["vsphere", "ovirt"]
    host: str | None = Field(default=None, description="vCenter host name (vsphere)")
    port: int = Field(default=443, ge=1, le=65535)
    url: str | None = Field(default=None, description="Engine API URL (ovirt), https://ENGINE/ovirt-engine/api")
    user: str = Field(min_length=1, max_length=256)
    insecure: bool = Field(default=False, description="Skip TLS verification (explicit opt-out)")
    has_ca: bool = False
    registered_at: datetime | None = None


class SourceRegisterRequest(BaseModel):
    """Register a live source. ``password`` is accepted here and nowhere else."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, description="Source name, also the store's source name")
    kind: Literal["vsphere", "ovirt"]
    host: str | None = Field(default=None, min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.:\[\]_-]+$")
    port: int = Field(default=443, ge=1, le=65535)
    url: str | None = Field(default=None, min_length=8, max_length=2048, pattern=r"^https?://\S+$")
    user: str = Field(min_length=1, max_length=256)
    password: SecretStr = Field(min_length=1, max_length=4096, json_schema_extra={"writeOnly": True})
    ca_pem: str | None = Field(default=None, max_length=65536, description="PEM CA bundle to verify the endpoint")
    insecure: bool = False

    def check(self) -> None:
        """Cross-field rules, raised as 400s that name the field."""
        if self.kind == "vsphere" and not self.host:
            raise field_error("body.host", "required for a vsphere source")
        if self.kind == "ovirt" and not self.url:
            raise field_error("body.url", "required for an ovirt source", hint="https://ENGINE/ovirt-engine/api")
        if self.ca_pem is not None and self.insecure:
            raise field_error("body.insecure", "ca_pem and insecure exclude each other")
        if self.ca_pem is not None and "-----BEGIN CERTIFICATE-----" not in self.ca_pem:
            raise field_error("body.ca_pem", "must be a PEM certificate bundle")


class Registry:
    def __init__(self, data_dir: Path) -> None:
        self.sources_dir = data_dir / "sources"
        self.secrets_dir = data_dir / "secrets"

    def _meta(self, name: str) -> Path:
        return self.sources_dir / f"{name}.json"

    def ca_file(self, name: str) -> Path:
        return self.sources_dir / f"{name}.ca.pem"

    def password_file(self, name: str) -> Path:
        return self.secrets_dir / f"{name}.password"

    def register(self, request: SourceRegisterRequest) -> SourceRegistration:
        request.check()
        reg = SourceRegistration(
            name=request.name,
            kind=request.kind,
            host=request.host,
            port=request.port,
            url=request.url,
            user=request.user,
            insecure=request.insecure,
            has_ca=request.ca_pem is not None,
            registered_at=datetime.now(UTC),
        )
        self.sources_dir.mkdir(parents=True, exist_ok=True)
        self.secrets_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_private(self.password_file(reg.name), request.password.get_secret_value())
        if request.ca_pem is not None:
            _write_private(self.ca_file(reg.name), request.ca_pem)
        else:
            self.ca_file(reg.name).unlink(missing_ok=True)
        _write_private(self._meta(reg.name), reg.model_dump_json(indent=1))
        return reg

    def get(self, name: str) -> SourceRegistration:
        path = self._meta(name)
        if not path.is_file():
            raise NotFound(f"no registered source {name!r}", hint="register it with POST /api/v1/sources")
        return SourceRegistration.model_validate(json.loads(path.read_text(encoding="utf-8")))

    def all(self) -> list[SourceRegistration]:
        if not self.sources_dir.is_dir():
            return []
        return [self.get(p.stem) for p in sorted(self.sources_dir.glob("*.json"))]

    def delete(self, name: str) -> None:
        self.get(name)
        for path in (self.password_file(name), self.ca_file(name), self._meta(name)):
            path.unlink(missing_ok=True)


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600 from the start, then rename into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def check_name(name: str, field: str = "name") -> str:
    import re

    if not re.fullmatch(NAME_PATTERN, name):
        raise field_error(field, "letters, digits, '.', '_' and '-' only (1-63 characters)")
    return name
