"""The per-client rate limit of the endpoints anyone may call (config/guards.py answers 429), and
whatever else the request needs from the cache, in ONE round trip to Redis.

The limit is a sliding window, as DRF's throttle (which this replaced) counts: a client may make
`num` requests in any `duration` seconds; a refused request is not counted, and Retry-After is
when the oldest counted request leaves the window. DRF keeps the window as a pickled list of
every timestamp, read and written back whole (two round trips, a list of up to 900 entries for
the open data API, and two requests at once can both pass the last slot); here it is a Redis
sorted set trimmed, counted and added to by one Lua script, atomic on the server. The same
script reads the keys the caller passes (`also`): the public cache's kept copy and its tables'
versions (config/publiccache.py), so that a cache hit costs one round trip in all."""

from __future__ import annotations

import functools
import secrets
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisSerializer
from rest_framework.throttling import SimpleRateThrottle

PREFIX = "ratelimit:"  # a sorted set per scope and client (never DRF's list: another type)

_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local wait = ''
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
else
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
  wait = tostring((oldest and tonumber(oldest) or now) + window - now)
end
local found = {}
if #KEYS > 1 then found = redis.call('MGET', unpack(KEYS, 2)) end
return {wait, found}
"""
_serializer = RedisSerializer()


@functools.cache
def _script():
    """redis-py's Script (sent by its SHA, loaded into Redis again if Redis has lost it) on a
    client made once per process. Django's RedisCache has no public client and makes a new one
    for every call, which costs more than the round trip; a redis-py client is thread-safe (a
    pool of connections, which also starts afresh in a forked process)."""
    return cache._cache.get_client(write=True).register_script(_SCRIPT)


class _Rate(SimpleRateThrottle):
    """DRF's reading of a rate ("900/min") and of the client's address (X-Forwarded-For behind
    RATE_LIMIT_NUM_PROXIES proxies), nothing of its counting."""

    def __init__(self, rate: str):  # not from a scope, as DRF would
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)


def hit(request, scope: str, rate: str, also=()) -> tuple[float | None, dict]:
    """Count this request against the client's limit in `scope` at `rate`. Returns the seconds
    to wait (None: allowed, and counted) and the cache's values at the keys `also` (those not
    found left out), as cache.get_many would give them."""
    limit = _Rate(rate)
    ident = limit.get_ident(request)
    keys = [cache.make_and_validate_key(k) for k in (f"{PREFIX}{scope}:{ident}", *also)]
    now = time.time()
    wait, found = _script()(
        keys=keys,
        args=[repr(now), limit.duration, limit.num_requests, f"{now!r}:{secrets.token_hex(6)}"],
    )
    pairs = zip(also, found, strict=True)
    values = {key: _serializer.loads(value) for key, value in pairs if value is not None}
    return (float(wait) if wait else None), values
