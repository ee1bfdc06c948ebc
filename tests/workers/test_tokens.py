"""Resource tokens on a real redis: limits, all-or-nothing acquisition, lease expiry."""

from __future__ import annotations

import time

from workers.tokens import RedisTokens, Token


def test_limit_all_or_nothing_and_expiry(redis_server) -> None:
    tokens = RedisTokens(redis_server.client(), ttl=1.0)
    host, ds = Token("host", "esx-1", 2), Token("datastore", "ds-1", 1)
    assert tokens.try_acquire([host], "a") and tokens.try_acquire([host], "b")
    assert not tokens.try_acquire([host], "c")  # limit 2 reached
    assert tokens.try_acquire([ds], "d")
    tokens.release([host], "a")
    assert not tokens.try_acquire([host, ds], "e")  # ds is full: nothing taken
    assert tokens.holders(host) == 1
    time.sleep(1.2)  # d's lease expires (a dead worker stops renewing)
    assert tokens.try_acquire([host, ds], "e")
    assert tokens.renew([host, ds], "e") == 2 and tokens.renew([host], "zz") == 0


def test_hold_renews_while_running(redis_server) -> None:
    tokens = RedisTokens(redis_server.client(), ttl=0.6, poll=0.05)
    tok = Token("storage_class", "fast", 1)
    with tokens.hold([tok]):
        time.sleep(1.5)  # well past the TTL: the renewer keeps the lease
        assert not tokens.try_acquire([tok], "other")
    assert tokens.try_acquire([tok], "other")
