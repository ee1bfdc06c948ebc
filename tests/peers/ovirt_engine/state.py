"""What the engine server's handler threads share, and the pure parts of answering.

The request log records method, path, query and status — never a body, so the password sent to
the SSO endpoint cannot end up in it.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.peers.ovirt_engine.inventory import EngineInventory
from tests.peers.ovirt_engine.render import API, COLLECTIONS
from tests.peers.ovirt_engine.transfers import Transfers

_PAGE = re.compile(r"\bpage\s+(\d+)", re.IGNORECASE)
_NAME = re.compile(r"\bname\s*=\s*(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    status: int
    all_content: bool = False


@dataclass
class RequestLog:
    """Thread-safe list of the requests the server answered."""

    entries: list[LoggedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()

    def snapshot(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self.entries)

    def api_calls(self) -> list[LoggedRequest]:
        """Requests under ``/ovirt-engine/api`` (what grows if a client walks VM by VM)."""
        return [e for e in self.snapshot() if e.path == API or e.path.startswith(API + "/")]


class EngineState:
    """What the handler threads share: inventory, credentials, tokens, log, transfers."""

    def __init__(self, inventory: EngineInventory, user: str, password: str) -> None:
        self.inventory = inventory
        self.user = user
        self.password = password
        self.tokens: set[str] = set()
        self.log = RequestLog()
        self.transfers = Transfers()
        self.base_url = ""
        self.latency = 0.0  # seconds added to every API reply, to model a remote engine

    def lookup(self, collection: str, ident: str) -> dict[str, Any] | None:
        return self.inventory.get(collection, ident)


def api_root(inv: EngineInventory) -> str:
    """The ``<api>`` root: links, product info and the summary counts."""
    full = inv.full_version
    major, minor, *rest = full.split("-")[0].split(".")
    links = "".join(f'<link href="{API}/{name}" rel="{name}"/>' for name in COLLECTIONS)
    vms = inv.list("vms")
    up = sum(1 for vm in vms if vm.get("status") == "up")
    return (
        f'<api>{links}<link href="{API}/imagetransfers" rel="imagetransfers"/>'
        "<product_info><instance_id>00000000-0000-0000-0000-000000000001</instance_id>"
        "<name>oVirt Engine</name><vendor>ovirt.org</vendor>"
        f"<version><build>{rest[0] if rest else 0}</build><full_version>{full}</full_version>"
        f"<major>{major}</major><minor>{minor}</minor><revision>0</revision></version></product_info>"
        f"<summary><hosts><active>{len(inv.list('hosts'))}</active><total>{len(inv.list('hosts'))}</total></hosts>"
        f"<storage_domains><active>{len(inv.list('storagedomains'))}</active>"
        f"<total>{len(inv.list('storagedomains'))}</total></storage_domains>"
        f"<users><active>1</active><total>1</total></users>"
        f"<vms><active>{up}</active><total>{len(vms)}</total></vms></summary>"
        f"<time>2026-01-01T00:00:00.000Z</time></api>"
    )


def search(items: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    """``search=name=web*`` filters by name (wildcards), ``page N`` with ``max`` pages."""
    text = query.get("search", "")
    name = _NAME.search(text)
    if name:
        pattern = name.group(1)
        items = [item for item in items if fnmatch.fnmatchcase(str(item.get("name", "")), pattern)]
    size = int(query["max"]) if query.get("max", "").lstrip("-").isdigit() and int(query["max"]) >= 0 else None
    page = _PAGE.search(text)
    start = (int(page.group(1)) - 1) * size if page and size else 0
    return items[start : start + size] if size is not None else items
