"""Shared helpers of the demo estate: deterministic ids and MAC addresses."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

GIB = 1024**3
COLLECTED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def mac(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return "00:50:56:" + ":".join(digest[i : i + 2] for i in (0, 2, 4))


def uuid(seed: str) -> str:
    h = hashlib.sha256(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
