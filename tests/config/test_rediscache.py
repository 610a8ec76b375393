"""The cache backend keeps one redis-py client per pool (config/rediscache.py) instead of
making one for every cache call, and works as Django's own does."""

import threading

from django.core.cache import cache, caches


def test_every_cache_call_uses_the_one_kept_client():
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("a key") is client
    assert client.connection_pool is cache._cache._get_connection_pool(write=True)


def test_the_backend_stores_reads_counts_and_deletes_as_djangos_does():
    cache.set("rediscache-test", {"a": 1}, 30)
    assert cache.get("rediscache-test") == {"a": 1}
    assert cache.get_many(["rediscache-test", "rediscache-none"]) == {"rediscache-test": {"a": 1}}
    assert cache.add("rediscache-test", 2) is False
    cache.set("rediscache-count", 1, 30)
    assert cache.incr("rediscache-count") == 2
    cache.delete_many(["rediscache-test", "rediscache-count"])
    assert cache.get("rediscache-test") is None


def test_threads_each_have_their_backend_and_share_the_server():
    """Django gives each thread its own backend (and so its own client): what one thread
    writes, another reads, through the one Redis."""
    seen = {}

    def work(n):
        backend = caches["default"]
        backend.set(f"rediscache-thread-{n}", n, 30)
        seen[n] = (backend._cache.get_client(), backend.get(f"rediscache-thread-{1 - n}"))

    first = threading.Thread(target=work, args=(0,))
    first.start()
    first.join()
    second = threading.Thread(target=work, args=(1,))
    second.start()
    second.join()
    assert seen[0][0] is not seen[1][0]
    assert seen[1][1] == 0
