"""Bearer tokens with two roles.

``viewer`` reads, ``operator`` reads and writes/starts work. Tokens are configured as
``token:role`` pairs separated by commas or newlines (``MFACTORY_API_TOKENS`` or a tokens
file). The table keeps SHA-256 digests, and a presented token's digest is compared against
every entry with :func:`hmac.compare_digest`: equal-length inputs, no early exit, so the time
taken says nothing about a token's length, how much of it matched, or which entry it was.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from factory.errors import InputError


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"


_RANK = {Role.VIEWER: 1, Role.OPERATOR: 2}


@dataclass(frozen=True)
class TokenTable:
    entries: tuple[tuple[bytes, Role], ...]

    def role_of(self, presented: str) -> Role | None:
        """The role of ``presented``, checking every entry (no early exit) in constant time."""
        given = _digest(presented.encode("utf-8", errors="surrogatepass"))
        found: Role | None = None
        for token, role in self.entries:
            if hmac.compare_digest(token, given):
                found = role
        return found


def parse_tokens(text: str, *, origin: str) -> TokenTable:
    """Parse ``token:role`` entries; the error names the entry by position, never the token."""
    entries: list[tuple[bytes, Role]] = []
    items = [part.strip() for line in text.splitlines() for part in line.split(",")]
    for position, item in enumerate((i for i in items if i and not i.startswith("#")), start=1):
        token, sep, role = item.rpartition(":")
        if not sep or not token:
            raise InputError(f"{origin}: entry {position} is not token:role", hint="e.g. s3cret:operator")
        try:
            parsed = Role(role.strip().lower())
        except ValueError:
            raise InputError(
                f"{origin}: entry {position} has role {role.strip()!r}", hint="roles are viewer and operator"
            ) from None
        if len(token) < 8:
            raise InputError(f"{origin}: entry {position} has a token shorter than 8 characters", hint="use longer")
        entries.append((_digest(token.strip().encode("utf-8")), parsed))
    return TokenTable(tuple(entries))


def _digest(token: bytes) -> bytes:
    return hashlib.sha256(token).digest()


_bearer = HTTPBearer(auto_error=False, description="API token: `Authorization: Bearer <token>`")


def _caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Role:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing bearer token (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    table: TokenTable = request.app.state.settings.tokens
    role = table.role_of(credentials.credentials)
    if role is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail="unknown token", headers={"WWW-Authenticate": "Bearer"}
        )
    return role


def viewer(role: Role = Depends(_caller)) -> Role:
    """Any valid token: read access."""
    return role


def operator(role: Role = Depends(_caller)) -> Role:
    """Write and start access: the ``operator`` role only."""
    if _RANK[role] < _RANK[Role.OPERATOR]:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="this call needs the operator role")
    return role
