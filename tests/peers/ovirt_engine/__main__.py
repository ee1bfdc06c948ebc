"""Run the engine API server by hand: ``python -m tests.peers.ovirt_engine --vms 500``.

Prints the API URL, user, password and CA file, then serves until Ctrl-C. Handy for trying
`mfactory inventory collect ovirt` or a disk worker against a generated estate.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path

from tests.peers.ovirt_engine import EngineServer, generate, make_certificates


def main() -> None:
    parser = argparse.ArgumentParser(description="Local oVirt engine API server for tests.")
    parser.add_argument("--vms", type=int, default=100)
    parser.add_argument("--user", default="admin@internal")
    parser.add_argument("--password", default="engine")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the test CA [default: a temp dir]")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="ovirt-engine-"))
    certs = make_certificates(directory)
    server = EngineServer(generate(args.vms), certs, user=args.user, password=args.password).start()
    print(f"url:      {server.url}\nuser:     {args.user}\npassword: {args.password}\nca-file:  {certs.ca_file}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
