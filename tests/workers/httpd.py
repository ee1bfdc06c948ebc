"""A small real HTTP file server for the fetch and streaming tests: Range requests, an
optional rate limit (bytes/s per response) and an optional cut after N bytes (to test resume).

It serves files from one directory on 127.0.0.1 and a free port, in a thread of the test
process; it records every request's Range header so tests can see a resume happen.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


@dataclass
class Behaviour:
    rate: float | None = None  # bytes per second per response
    cut_after: int | None = None  # close the connection after this many body bytes (once)
    requests: list[tuple[str, str | None]] = field(default_factory=list)


class FileServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.behaviour = Behaviour()
        behaviour = self.behaviour

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_GET(self) -> None:
                self._serve(head=False)

            def _serve(self, head: bool) -> None:
                behaviour.requests.append((self.command, self.headers.get("Range")))
                path = root / self.path.lstrip("/").split("?")[0]
                if not path.is_file():
                    self.send_error(404)
                    return
                size = path.stat().st_size
                start, end = 0, size - 1
                match = _RANGE.match(self.headers.get("Range") or "")
                if match:
                    start = int(match.group(1))
                    end = int(match.group(2)) if match.group(2) else size - 1
                    end = min(end, size - 1)
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
                else:
                    self.send_response(200)
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(end - start + 1))
                self.send_header("ETag", f'"{size}-{path.stat().st_mtime_ns}"')
                self.end_headers()
                if head:
                    return
                self._body(path, start, end - start + 1)

            def _body(self, path: Path, start: int, length: int) -> None:
                sent = 0
                with path.open("rb") as fh:
                    fh.seek(start)
                    while sent < length:
                        chunk = fh.read(min(65536, length - sent))
                        if behaviour.cut_after is not None and sent + len(chunk) > behaviour.cut_after:
                            self.wfile.write(chunk[: behaviour.cut_after - sent])
                            behaviour.cut_after = None
                            self.close_connection = True
                            self.wfile.flush()
                            self.connection.shutdown(2)
                            return
                        self.wfile.write(chunk)
                        sent += len(chunk)
                        if behaviour.rate:  # per chunk, so parallel range reads share the limit roughly
                            time.sleep(len(chunk) / behaviour.rate)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients hanging up (qemu-img killed, resume tests) are expected here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
