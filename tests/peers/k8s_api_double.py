"""A TEST DOUBLE of the Kubernetes API server — not a peer.

No API server can run on these machines (no containers, no etcd), so ``mfactory mtv
apply`` is tested against this small HTTP server. It records exactly what the real
``kubernetes`` client sends (method, path, content type, fieldManager, dryRun, force, body,
order) and answers the way the API server does for server-side apply:

- PATCH with ``application/apply-patch+yaml`` to a served resource: 201 and the object when
  it is new, 200 when it exists; nothing is stored on ``dryRun=All``.
- A resource whose CRD is not installed: 404 with a ``Status`` body.
- Apply without ``fieldManager``: 400, as the real server does.
- Paths listed in ``forbidden``: 403 with a ``Status`` body.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

CORE_SERVED = {"secrets"}
FORKLIFT_SERVED = {"providers", "networkmaps", "storagemaps", "plans", "migrations"}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    content_type: str | None
    body: dict | None
    authorization: str | None


@dataclass
class ApiDouble:
    url: str
    requests: list[Request] = field(default_factory=list)
    objects: dict[str, dict] = field(default_factory=dict)
    served_crds: set[str] = field(default_factory=lambda: set(FORKLIFT_SERVED))
    forbidden: set[str] = field(default_factory=set)  # resource plurals that answer 403

    ca_file: Path | None = None  # the self-signed certificate, when serving HTTPS

    def kubeconfig(self, folder: Path, token: str = "double-token", *, trust: bool = True) -> Path:
        """A kubeconfig for the double; ``trust=False`` leaves the CA out (TLS must then fail)."""
        path = folder / "kubeconfig"
        cluster: dict = {"server": self.url}
        if self.ca_file is not None and trust:
            cluster["certificate-authority"] = str(self.ca_file)
        path.write_text(
            yaml.safe_dump(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [{"name": "double", "cluster": cluster}],
                    "users": [{"name": "tester", "user": {"token": token}}],
                    "contexts": [{"name": "double", "context": {"cluster": "double", "user": "tester"}}],
                    "current-context": "double",
                }
            )
        )
        return path


def _status(code: int, reason: str, message: str) -> dict:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


def _handler(double: ApiDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _send(self, code: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PATCH(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = yaml.safe_load(raw) if raw else None
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            double.requests.append(
                Request(
                    "PATCH",
                    parts.path,
                    query,
                    self.headers.get("Content-Type"),
                    body,
                    self.headers.get("Authorization"),
                )
            )
            segments = parts.path.strip("/").split("/")
            # /api/v1/namespaces/NS/PLURAL/NAME or /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME
            plural = segments[-2] if len(segments) >= 2 else ""
            served = CORE_SERVED if segments[0] == "api" else double.served_crds
            if plural not in served:
                self._send(404, _status(404, "NotFound", "the server could not find the requested resource"))
                return
            if plural in double.forbidden:
                user = "system:serviceaccount:default:tester"
                self._send(
                    403, _status(403, "Forbidden", f'{plural} is forbidden: User "{user}" cannot patch resource')
                )
                return
            if self.headers.get("Content-Type") != "application/apply-patch+yaml":
                self._send(415, _status(415, "UnsupportedMediaType", "unsupported patch type"))
                return
            if not query.get("fieldManager"):
                self._send(400, _status(400, "BadRequest", "fieldManager is required for apply patch"))
                return
            existed = parts.path in double.objects
            if query.get("dryRun") != "All":
                double.objects[parts.path] = body
            self._send(200 if existed else 201, body or {})

    return Handler


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "api-double.crt", folder / "api-double.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(params=["http", "https"])
def k8s_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiDouble]:
    """A running API-server test double on 127.0.0.1 (a free port), over HTTP and over HTTPS
    with a self-signed certificate the kubeconfig names as its CA."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    port = server.server_address[1]
    double = ApiDouble(url=f"http://127.0.0.1:{port}")
    if request.param == "https":
        cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        double.url, double.ca_file = f"https://127.0.0.1:{port}", cert
    server.RequestHandlerClass = _handler(double)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()
