"""Django's Redis cache, with one Redis client per connection pool.

Django's client builds a new `redis.Redis` for every cache operation, and
redis-py fills some 170 response callbacks each time it does: about a quarter
of a millisecond per operation, more than the operation itself takes over the
network here. A client holds no state of its own beyond its pool, and is safe
to share between threads.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClient
