"""Image transfers: how a client downloads a disk from the engine (for the disk workers).

The real flow: ``POST /ovirt-engine/api/imagetransfers`` with ``<image_transfer><disk id=".."/>
<direction>download</direction></image_transfer>`` creates a transfer in phase
``initializing``; polling ``GET .../imagetransfers/{id}`` shows ``transferring`` with a
``transfer_url`` (the host's imageio daemon) and a ``proxy_url`` (the engine's imageio proxy).
The client GETs the bytes from either URL (``Range: bytes=a-b`` supported; no bearer token, the
ticket in the URL is the credential), then ``POST .../imagetransfers/{id}/finalize``
(or ``/cancel``). Here both URLs point at this server and stream a local file that the test
registered for that disk with ``EngineServer.register_disk_file(disk_id, path)``.
"""

from __future__ import annotations

import re
import secrets
import threading
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.peers.ovirt_engine.render import API

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_CHUNK = 1024 * 1024


@dataclass
class Transfer:
    id: str
    disk_id: str
    direction: str
    ticket: str
    phase: str = "initializing"


class Transfers:
    def __init__(self) -> None:
        self.base_url = ""
        self._files: dict[str, Path] = {}
        self._transfers: dict[str, Transfer] = {}
        self._lock = threading.Lock()

    def register(self, disk_id: str, path: Path) -> None:
        self._files[disk_id] = Path(path)

    def get(self, transfer_id: str) -> Transfer | None:
        return self._transfers.get(transfer_id)

    def _xml(self, t: Transfer) -> str:
        href = f"{API}/imagetransfers/{t.id}"
        urls = ""
        if t.phase not in ("initializing",):
            urls = (f"<transfer_url>{self.base_url}/images/{t.ticket}</transfer_url>"
                    f"<proxy_url>{self.base_url}/ovirt-imageio/images/{t.ticket}</proxy_url>")  # fmt: skip
        size = self._files[t.disk_id].stat().st_size if t.disk_id in self._files else 0
        return (
            f'<image_transfer href="{href}" id="{t.id}"><actions>'
            f'<link href="{href}/finalize" rel="finalize"/><link href="{href}/cancel" rel="cancel"/></actions>'
            f"<active>{'true' if t.phase == 'transferring' else 'false'}</active><direction>{t.direction}</direction>"
            f"<format>raw</format><inactivity_timeout>60</inactivity_timeout><phase>{t.phase}</phase>"
            f"<shallow>false</shallow><timeout_policy>legacy</timeout_policy><transferred>{size}</transferred>"
            f'{urls}<disk href="{API}/disks/{t.disk_id}" id="{t.disk_id}"/>'
            f'<image id="{t.disk_id}"/></image_transfer>'
        )

    def api(self, handler: Any, segments: list[str], body: bytes) -> None:
        """``/imagetransfers[/{id}[/finalize|/cancel]]`` under the API (token already checked)."""
        if not segments:
            if handler.command == "POST":
                return self._create(handler, body)
            with self._lock:
                items = "".join(self._xml(t) for t in self._transfers.values())
            return handler._xml(200, f"<image_transfers>{items}</image_transfers>")
        t = self._transfers.get(segments[0])
        if t is None:
            return handler._fault(404, "Not Found", f"Entity not found: imagetransfers/{segments[0]}")
        if len(segments) == 1 and handler.command == "GET":
            with self._lock:
                if t.phase == "initializing":
                    t.phase = "transferring"  # the engine needs a moment; clients must poll
                return handler._xml(200, self._xml(t))
        if len(segments) == 2 and handler.command == "POST" and segments[1] in ("finalize", "cancel"):
            with self._lock:
                t.phase = "finished_success" if segments[1] == "finalize" else "cancelled_user"
            return handler._xml(200, "<action><status>complete</status></action>")
        return handler._fault(404, "Not Found", "/".join(segments))

    def _create(self, handler: Any, body: bytes) -> None:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return handler._fault(400, "Bad Request", "Request body is not valid XML")
        disk = root.find("disk")
        if disk is None:
            disk = root.find("image")
        disk_id = disk.get("id") if disk is not None else None
        direction = (root.findtext("direction") or "upload").strip()
        if not disk_id:
            return handler._fault(400, "Bad Request", "ImageTransfer [disk.id] required for add")
        if disk_id not in self._files:
            return handler._fault(409, "Operation Failed", f"Cannot transfer disk {disk_id}: no image on this engine")
        t = Transfer(str(uuid.uuid4()), disk_id, direction, secrets.token_hex(16))
        with self._lock:
            self._transfers[t.id] = t
        return handler._xml(201, self._xml(t))

    def serve_image(self, handler: Any, ticket: str) -> None:
        """imageio's read side: OPTIONS (features), GET/HEAD with optional Range, /extents."""
        extents = ticket.endswith("/extents")
        ticket = ticket.removesuffix("/extents")
        t = next((t for t in self._transfers.values() if t.ticket == ticket and t.phase == "transferring"), None)
        if t is None:
            return handler._reply(403, b"no such ticket", "text/plain")
        path = self._files[t.disk_id]
        size = path.stat().st_size
        if handler.command == "OPTIONS":
            return handler._json(200, {"features": ["extents"], "max_readers": 1, "max_writers": 1})
        if extents:
            return handler._json(200, [{"start": 0, "length": size, "zero": False, "hole": False}])
        start, end = 0, size - 1
        match = _RANGE.match(handler.headers.get("Range", ""))
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            else:
                start = max(size - int(match.group(2)), 0)
            if start >= size or start > end:
                return handler._reply(416, b"", "text/plain", {"Content-Range": f"bytes */{size}"})
        partial = bool(match)
        handler.start(206 if partial else 200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(end - start + 1))
        handler.send_header("Accept-Ranges", "bytes")
        if partial:
            handler.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        handler.end_headers()
        if handler.command == "HEAD":
            return None
        with path.open("rb") as f:
            f.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = f.read(min(_CHUNK, left))
                if not chunk:
                    break
                handler.wfile.write(chunk)
                left -= len(chunk)
        return None
