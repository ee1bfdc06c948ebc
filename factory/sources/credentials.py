"""Credentials and TLS settings for live collectors.

Passwords come only from an environment variable or a file — never from a flag, where they
would show up in shell history and `ps`. They are held as :class:`pydantic.SecretStr`, whose
``repr`` and ``str`` are masked, so a stray log line or exception cannot leak them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from factory.errors import InputError


@dataclass(frozen=True)
class Credentials:
    user: str
    password: SecretStr


@dataclass(frozen=True)
class TlsSettings:
    """Verification is on unless ``insecure`` is set explicitly."""

    ca_file: Path | None = None
    insecure: bool = False

    def __post_init__(self) -> None:
        if self.ca_file is not None and self.insecure:
            raise InputError("--ca-file and --insecure exclude each other", hint="pass only one of them")
        if self.ca_file is not None and not self.ca_file.is_file():
            raise InputError(f"CA file {self.ca_file} does not exist", hint="pass the PEM file of the CA")


def read_password(password_env: str | None, password_file: Path | None) -> SecretStr:
    """The password from exactly one of ``--password-env VAR`` or ``--password-file F``."""
    if (password_env is None) == (password_file is None):
        raise InputError(
            "give the password with exactly one of --password-env or --password-file",
            hint="e.g. --password-env VC_PASSWORD after `read -s VC_PASSWORD; export VC_PASSWORD`",
        )
    if password_env is not None:
        value = os.environ.get(password_env)
        if not value:
            raise InputError(f"environment variable {password_env} is not set or empty", hint="export it first")
        return SecretStr(value)
    assert password_file is not None
    try:
        value = password_file.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise InputError(f"cannot read password file {password_file}: {exc.strerror}", hint="check the path") from None
    if not value:
        raise InputError(f"password file {password_file} is empty", hint="write the password into it")
    return SecretStr(value)
