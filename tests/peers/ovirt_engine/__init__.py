"""A local oVirt engine API server for tests and benchmarks (see ``server.py``)."""

from tests.peers.ovirt_engine.inventory import EngineInventory, generate, uid
from tests.peers.ovirt_engine.server import EngineServer
from tests.peers.ovirt_engine.state import LoggedRequest, RequestLog
from tests.peers.ovirt_engine.tls import TestCertificates, make_certificates

__all__ = [
    "EngineInventory",
    "EngineServer",
    "LoggedRequest",
    "RequestLog",
    "TestCertificates",
    "generate",
    "make_certificates",
    "uid",
]
