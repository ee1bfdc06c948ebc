"""A free TCP port on 127.0.0.1 for a peer the tests start (redis, postgres, qemu-nbd, the API).

The port is free when this returns; the peer binds it a moment later. Another process could
take it in between, which on a test machine does not happen in practice.
"""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
