"""A small HTTPS server that answers the oVirt engine API the way the real engine does.

It is what the real ``ovirtsdk4`` client talks to in the tests and the benchmark: SSO token and
logout, the API root, every collection the collector reads (with ``follow``, ``search``
``name=`` / ``page N``, ``max``), sub-collections and single objects for clients that follow
links one by one, 401/404 faults, and image transfers for disk downloads (see
:mod:`.transfers`). Every request is logged (method, path, query, status; never a body, so
the password cannot end up in the log).
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.peers.ovirt_engine.inventory import EngineInventory
from tests.peers.ovirt_engine.render import (
    API,
    COLLECTIONS,
    LINKS,
    LIST_TAGS,
    REL_TO_ATTR,
    Renderer,
    fault,
    parse_follow,
)
from tests.peers.ovirt_engine.state import EngineState, LoggedRequest, RequestLog, api_root, search
from tests.peers.ovirt_engine.tls import TestCertificates


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else every SDK request waits ~40 ms for a delayed ACK
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return None

    # --- plumbing -------------------------------------------------------------------------
    def _reply(self, status: int, body: bytes | str, content_type: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.start(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def start(self, status: int) -> None:
        """Log, then send the status line: logging first keeps the log in the order the
        client saw the replies (a fast client sends its next request before ``finally``)."""
        self._status = status
        self._record()
        self.send_response(status)

    def _record(self) -> None:
        if self._logged:
            return
        self._logged = True
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        all_content = self.headers.get("All-Content", "").lower() == "true" or query.get("all_content") == "true"
        self.server.state.log.add(LoggedRequest(self.command, parts.path, query, self._status, all_content))

    def _xml(self, status: int, body: str) -> None:
        self._reply(status, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body, "application/xml")

    def _fault(self, status: int, reason: str, detail: str) -> None:
        self._xml(status, fault(reason, detail))

    def _json(self, status: int, obj: Any) -> None:
        self._reply(status, json.dumps(obj), "application/json")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        self._status, self._logged = 0, False
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        try:
            self._route(parts.path.rstrip("/") or "/", query)
        except (BrokenPipeError, ConnectionResetError):
            return
        finally:
            self._record()

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    # --- routing ---------------------------------------------------------------------------
    def _route(self, path: str, query: dict[str, str]) -> None:
        state = self.server.state
        if path == "/ovirt-engine/sso/oauth/token" and self.command == "POST":
            return self._token()
        if path == "/ovirt-engine/services/sso-logout" and self.command == "POST":
            form = {k: v[-1] for k, v in parse_qs(self._body().decode()).items()}
            state.tokens.discard(form.get("token", ""))
            return self._json(200, {})
        if path.startswith("/images/") or path.startswith("/ovirt-imageio/images/"):
            return state.transfers.serve_image(self, path.rsplit("/images/", 1)[1])
        if path != API and not path.startswith(API + "/"):
            return self._fault(404, "Not Found", f"No resource at {path}")
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in state.tokens:
            return self._fault(401, "Unauthorized", "The request needs a valid SSO token")
        if state.latency:
            time.sleep(state.latency)
        segments = [s for s in path[len(API) :].split("/") if s]
        if segments and segments[0] == "imagetransfers":
            return state.transfers.api(self, segments[1:], self._body() if self.command == "POST" else b"")
        if self.command != "GET" and self.command != "HEAD":
            return self._fault(405, "Method Not Allowed", f"{self.command} {path}")
        if not segments:
            return self._xml(200, api_root(state.inventory))
        return self._get(segments, query)

    def _token(self) -> None:
        state = self.server.state
        form = {k: v[-1] for k, v in parse_qs(self._body().decode()).items()}
        if form.get("username") != state.user or form.get("password") != state.password:
            user = form.get("username", "")
            return self._json(
                401,
                {"error_code": "access_denied", "error": f"Cannot authenticate user '{user}': "
                 "The username or password is incorrect."},
            )  # fmt: skip
        token = secrets.token_urlsafe(24)
        state.tokens.add(token)
        return self._json(200, {"access_token": token, "scope": "ovirt-app-api", "token_type": "bearer",
                                "exp": "9999999999999"})  # fmt: skip

    def _get(self, segments: list[str], query: dict[str, str]) -> None:
        state = self.server.state
        collection = segments[0]
        if collection not in COLLECTIONS:
            return self._fault(404, "Not Found", f"Unknown collection '{collection}'")
        list_tag, item_tag = COLLECTIONS[collection]
        follow = parse_follow(query.get("follow"))
        renderer = Renderer(state.lookup)
        out: list[str] = []
        if len(segments) == 1:
            items = search(state.inventory.list(collection), query)
            renderer.collection(out, list_tag, item_tag, items, f"{API}/{collection}", follow)
            return self._xml(200, "".join(out))
        obj = state.inventory.get(collection, segments[1])
        href = f"{API}/{collection}/{segments[1]}"
        tag = item_tag
        rest = segments[2:]
        while obj is not None and rest:
            attr = REL_TO_ATTR.get(rest[0])
            if attr is None or attr not in obj:
                obj = None
                break
            href = f"{href}/{rest[0]}"
            if len(rest) == 1:
                renderer.collection(out, LIST_TAGS.get(attr, attr), LINKS[attr][1], obj[attr], href, follow)
                return self._xml(200, "".join(out))
            obj = next((item for item in obj[attr] if item["id"] == rest[1]), None)
            href, tag, rest = f"{href}/{rest[1]}", LINKS[attr][1], rest[2:]
        if obj is None:
            return self._fault(404, "Not Found", "Entity not found: " + "/".join(segments))
        renderer.entity(out, tag, obj, href, follow)
        return self._xml(200, "".join(out))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: EngineState

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # a client that rejects our certificate is expected in the TLS tests


class EngineServer:
    """Start with :meth:`start`; ``url`` is the API URL to give the SDK."""

    def __init__(self, inventory: EngineInventory, certs: TestCertificates, *, user: str, password: str) -> None:
        self.state = EngineState(inventory, user, password)
        self._certs = certs
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.state.base_url + API

    @property
    def log(self) -> RequestLog:
        return self.state.log

    def load(self, inventory: EngineInventory) -> None:
        self.state.inventory = inventory

    def register_disk_file(self, disk_id: str, path: Path) -> None:
        self.state.transfers.register(disk_id, path)

    def revoke_tokens(self) -> None:
        """Forget every SSO token: the next API call gets a 401, as after an engine restart."""
        self.state.tokens.clear()

    def start(self) -> EngineServer:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self._certs.cert_file, self._certs.key_file)
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
        httpd.state = self.state
        port = httpd.server_address[1]
        self.state.base_url = f"https://127.0.0.1:{port}"
        self.state.transfers.base_url = self.state.base_url
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="ovirt-engine", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
