"""Django's Redis cache, with one Redis client per connection pool, that carries on
over the database while Redis does not answer.

Django's client builds a new `redis.Redis` for every cache operation, and
redis-py fills some 170 response callbacks each time it does: about a quarter
of a millisecond per operation, more than the operation itself takes over the
network here. A client holds no state of its own beyond its pool, and is safe
to share between threads.

Redis is a cache, not a point of failure: when it does not answer, every
operation goes to the database cache named by `FALLBACK` (pages, sessions and
log-in limits keep working), and Redis is tried again a few seconds later. When
it answers again, the keys written meanwhile are deleted from it, and the
database cache is emptied, so that neither serves what the outage changed (a
session ended, a role taken away) from before it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import DatabaseError
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds before Redis is asked again once it did not answer.
RETRY_SECONDS = 5
# Keys written to the database cache during an outage that Redis forgets one by one
# on its return; past this many it is emptied instead.
KEYS_REMEMBERED = 10_000


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


@dataclass
class Outage:
    """This process's view of one Redis: down until when, and what it wrote elsewhere."""

    down: bool = False
    retry_at: float = 0.0
    written: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


# One per Redis location, shared by the threads of a process (each has its own backend).
_OUTAGES: dict[str, Outage] = {}


def _outage_of(location: str) -> Outage:
    return _OUTAGES.setdefault(location, Outage())


def _either(name: str, *, writes: bool) -> Callable:
    def operation(self, *args, **kwargs):
        if self._redis_usable():
            try:
                return getattr(DjangoRedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._went_down(error)
        if self._fallback_alias is None:
            raise RedisConnectionError(f"Redis does not answer and no fallback: {name}")
        if writes:
            self._remember(args[0] if args else None)
        return getattr(caches[self._fallback_alias], name)(*args, **kwargs)

    operation.__name__ = name
    return operation


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClient
        # Fail within a second and without retries: the database answers meanwhile.
        self._options = {
            "socket_connect_timeout": 1,
            "socket_timeout": 1,
            "retry": Retry(NoBackoff(), 0),
            **self._options,
        }
        self._fallback_alias = params.get("FALLBACK")
        self._outage = _outage_of(str(server))

    # --- Redis or the database ------------------------------------------------------

    def _went_down(self, error: Exception) -> None:
        outage = self._outage
        with outage.lock:
            if not outage.down:
                logger.warning("Redis does not answer (%s): the database holds the cache.", error)
            outage.down = True
            outage.retry_at = time.monotonic() + RETRY_SECONDS

    def _remember(self, key) -> None:
        outage = self._outage
        if len(outage.written) <= KEYS_REMEMBERED:
            if isinstance(key, dict | list | tuple | set):
                outage.written.update(key)
            elif key is not None:
                outage.written.add(key)

    def _redis_usable(self) -> bool:
        outage = self._outage
        if not outage.down:
            return True
        if time.monotonic() < outage.retry_at:
            return False
        with outage.lock:
            if not outage.down:
                return True
            try:
                self._forget_what_the_outage_changed()
            except UNREACHABLE:
                outage.retry_at = time.monotonic() + RETRY_SECONDS
                return False
            outage.down = False
            outage.written = set()
        logger.warning("Redis answers again: it holds the cache.")
        return True

    def _forget_what_the_outage_changed(self) -> None:
        written = self._outage.written
        if len(written) > KEYS_REMEMBERED:
            DjangoRedisCache.clear(self)
        elif written:
            DjangoRedisCache.delete_many(self, list(written))
        else:
            self._cache.get_client(write=True).ping()
        if self._fallback_alias is not None:
            try:
                caches[self._fallback_alias].clear()
            except DatabaseError:
                logger.warning("The database cache could not be emptied after an outage.")

    def answers(self) -> bool:
        """Whether Redis answers now (for the readiness probe), whatever the last try said."""
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE as error:
            self._went_down(error)
            return False
        return True

    # --- Counters of `common.ratelimit` -----------------------------------------------

    def redis_counter(self, key: str, *, ttl: int, start: Callable[[], int]) -> int | None:
        """Add one to a counter kept `ttl` seconds from its creation; None without Redis.

        A new counter starts from `start()`: what was counted elsewhere in its window.
        """
        if not self._redis_usable():
            return None
        try:
            client = self._cache.get_client(write=True)
            key = self.make_and_validate_key(key)
            if client.set(key, 0, ex=ttl, nx=True):
                earlier = start()
                if earlier:
                    client.incrby(key, earlier)
            return int(client.incr(key))
        except UNREACHABLE as error:
            self._went_down(error)
            return None

    def redis_count(self, key: str) -> int | None:
        """A counter's value (0 when absent); None without Redis."""
        if not self._redis_usable():
            return None
        try:
            found = self._cache.get_client().get(self.make_and_validate_key(key))
        except UNREACHABLE as error:
            self._went_down(error)
            return None
        return int(found) if found is not None else 0

    add = _either("add", writes=True)
    get = _either("get", writes=False)
    set = _either("set", writes=True)
    touch = _either("touch", writes=True)
    delete = _either("delete", writes=True)
    get_many = _either("get_many", writes=False)
    has_key = _either("has_key", writes=False)
    incr = _either("incr", writes=True)
    set_many = _either("set_many", writes=True)
    delete_many = _either("delete_many", writes=True)
    clear = _either("clear", writes=False)
