"""Django's Redis cache backend, keeping its `redis.Redis` client.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache call (on the
pool it keeps). Making one builds redis-py's table of a few hundred response callbacks: 0.5 ms
of CPU on the project's 2-core machine, more than the round trip to Redis it is made for, and a
signed-in page makes two to four cache calls. A `redis.Redis` on a connection pool is safe to
share (redis-py takes a connection from the pool for each command), so one is kept per pool.
Everything else (pools, serialisation, timeouts) is Django's."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES' backend: `config.rediscache.RedisCache`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
