"""The redis peer itself: a real server whose data survives a restart (append-only file)."""

from __future__ import annotations


def test_redis_restart_keeps_data(redis_server) -> None:
    client = redis_server.client()
    client.rpush("queue", "a", "b")
    port = redis_server.port
    redis_server.restart(down_seconds=0.1)
    assert redis_server.port == port
    assert redis_server.client().lrange("queue", 0, -1) == [b"a", b"b"]
