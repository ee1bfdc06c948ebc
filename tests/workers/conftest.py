"""Fixtures for the worker tests: the Celery app pointed at the test's redis, and back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.peers.redis_fixtures import RedisServer
from workers.app import configure


@pytest.fixture
def broker(redis_server: RedisServer) -> Iterator[RedisServer]:
    """This process enqueues to the test's redis; restored to in-process afterwards."""
    configure(redis_server.url)
    try:
        yield redis_server
    finally:
        configure(None)


@pytest.fixture(autouse=True)
def _in_process_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("REDIS_URL", raising=False)
    configure(None)
    yield
    configure(None)
