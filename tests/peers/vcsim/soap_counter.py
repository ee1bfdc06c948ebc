"""Count the SOAP requests a pyVmomi session sends over HTTP, by method name.

Counting happens where every request goes out — the HTTP connections the session's stub
adapter hands out — so it sees pyVmomi's own calls (methods and property accessors) and the
collector's streamed property-collector calls alike. The requests still go to the real server.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_METHOD = re.compile(rb"<soapenv:Body>\s*<(\w+)")


class _CountingConnection:
    def __init__(self, conn: Any, counter: SoapCallCounter) -> None:
        self._conn = conn
        self._counter = counter

    def request(self, method: str, url: str, body: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        raw = body.encode() if isinstance(body, str) else (body or b"")
        found = _METHOD.search(raw[:4096])
        self._counter.by_method[found.group(1).decode() if found else "?"] += 1
        return self._conn.request(method, url, body, headers or {}, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class SoapCallCounter:
    """``counter = SoapCallCounter.install(si)``; then ``counter.calls`` (total) and
    ``counter.by_method`` (e.g. ``{"RetrievePropertiesEx": 1}``)."""

    def __init__(self) -> None:
        self.by_method: Counter[str] = Counter()

    @property
    def calls(self) -> int:
        return sum(self.by_method.values())

    @classmethod
    def install(cls, si: Any) -> SoapCallCounter:
        stub = si._stub
        counter = cls()
        get, give_back = stub.GetConnection, stub.ReturnConnection
        stub.GetConnection = lambda: _CountingConnection(get(), counter)
        stub.ReturnConnection = lambda conn: give_back(getattr(conn, "_conn", conn))
        return counter
