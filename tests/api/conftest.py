"""Fixtures: a real redis-server, a real API (uvicorn) and a real Celery worker per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.live import Stack
from tests.peers.redis_fixtures import RedisServer


@pytest.fixture(scope="session")
def api_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real redis-server for the API tests; each stack uses its own database number."""
    server = RedisServer.launch(tmp_path_factory.mktemp("redis"))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, api_redis: str) -> Iterator[Stack]:
    """API + worker on a real Redis, shared by the API tests."""
    stack = Stack(root=tmp_path_factory.mktemp("stack"), redis_url=api_redis.replace("/0", "/1"))
    try:
        stack.start_api()
        stack.start_worker()
        yield stack
    finally:
        stack.stop()
