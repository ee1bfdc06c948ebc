"""Resource tokens in Redis: at most N concurrent holders per source host, datastore /
storage domain, target storage class — however many workers run.

Each token key is a sorted set of leases (member = lease id, score = expiry time on the
Redis server's clock). One Lua script drops expired leases and takes a lease on EVERY key of
a job or on none (no partial holds, so two jobs cannot deadlock holding half each). A live
holder renews its leases from a background thread; a worker killed with -9 stops renewing
and its leases expire after `ttl` seconds, which frees the tokens. MTV itself can only limit
per ESXi host; this covers datastores and storage classes too.

Without Redis (the in-process mode) jobs run one at a time, so `NullTokens` never waits.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import redis

PREFIX = "mf:tokens:"

# KEYS = token keys; ARGV = lease id, ttl seconds, then one limit per key.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZSCORE', key, ARGV[1]) == false and redis.call('ZCARD', key) >= tonumber(ARGV[i + 2]) then
    return 0
  end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + ttl, ARGV[1])
  redis.call('EXPIRE', key, math.ceil(ttl) * 4)
end
return 1
"""

# Renew only leases still held (XX): an expired lease is lost, and the holder must know.
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local held = 0
for _, key in ipairs(KEYS) do
  if redis.call('ZSCORE', key, ARGV[1]) ~= false then
    redis.call('ZADD', key, 'XX', now + tonumber(ARGV[2]), ARGV[1])
    held = held + 1
  end
end
return held
"""


@dataclass(frozen=True)
class Token:
    """One limited resource, e.g. Token("host", "esx-01", 2)."""

    kind: str  # host | datastore | storage_class | job
    name: str
    limit: int

    @property
    def key(self) -> str:
        return f"{PREFIX}{self.kind}:{self.name}"


class RedisTokens:
    def __init__(self, client: redis.Redis, ttl: float = 30.0, poll: float = 0.2) -> None:
        self.client = client
        self.ttl = ttl
        self.poll = poll
        self._acquire = client.register_script(_ACQUIRE)
        self._renew = client.register_script(_RENEW)

    def try_acquire(self, tokens: Sequence[Token], lease: str) -> bool:
        if not tokens:
            return True
        args = [lease, self.ttl, *(t.limit for t in tokens)]
        return bool(self._acquire(keys=[t.key for t in tokens], args=args))

    def renew(self, tokens: Sequence[Token], lease: str) -> int:
        return int(self._renew(keys=[t.key for t in tokens], args=[lease, self.ttl])) if tokens else 0

    def release(self, tokens: Sequence[Token], lease: str) -> None:
        if tokens:
            pipe = self.client.pipeline()
            for token in tokens:
                pipe.zrem(token.key, lease)
            pipe.execute()

    def holders(self, token: Token) -> int:
        self.client.zremrangebyscore(token.key, "-inf", time.time())
        return int(self.client.zcard(token.key))

    @contextlib.contextmanager
    def hold(self, tokens: Sequence[Token], on_wait: object = None) -> Iterator[str]:
        """Wait for a lease on all `tokens`, renew it while the body runs, release it after."""
        lease = uuid.uuid4().hex
        while not self._try(tokens, lease):
            if callable(on_wait):
                on_wait()
            time.sleep(self.poll)
        stop = threading.Event()
        renewer = threading.Thread(target=self._keep, args=(tokens, lease, stop), daemon=True)
        renewer.start()
        try:
            yield lease
        finally:
            stop.set()
            renewer.join(timeout=5)
            with contextlib.suppress(redis.RedisError):
                self.release(tokens, lease)

    def _try(self, tokens: Sequence[Token], lease: str) -> bool:
        try:
            return self.try_acquire(tokens, lease)
        except redis.ConnectionError:
            return False  # broker restarting: keep waiting, do not fail the job

    def _keep(self, tokens: Sequence[Token], lease: str, stop: threading.Event) -> None:
        while not stop.wait(self.ttl / 3):
            with contextlib.suppress(redis.RedisError):
                self.renew(tokens, lease)


class NullTokens:
    """In-process mode: one job at a time, nothing to limit."""

    @contextlib.contextmanager
    def hold(self, tokens: Sequence[Token], on_wait: object = None) -> Iterator[str]:
        yield "local"
