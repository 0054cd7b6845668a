import contextlib
from typing import Protocol, cast

import redis


def get_redis_connection():
    return redis.Redis(socket_timeout=5)


class Holder:
    def __init__(self):
        self.REDIS = redis.Redis(socket_timeout=5)


REDIS_CONN = Holder()


class ClientP(Protocol):
    def incrby(self, name, amount): ...


class Storage:
    def __init__(self, uri):
        self.storage = redis.Redis.from_url(uri)

    def get_connection(self) -> ClientP:
        return cast(ClientP, self.storage)  # a no-op: the client itself

    def hit(self, key):
        return self.get_connection().incrby(key, 1)  # calls: client


class Batched:
    """Swaps its client for a pipeline inside `with self.pipeline():`."""

    def __init__(self):
        self.redis: redis.Redis = redis.Redis(socket_timeout=5)
        self._saved = None

    @contextlib.contextmanager
    def pipeline(self):
        top = False
        if self._saved is None:
            self.redis, self._saved, top = self.redis.pipeline(), self.redis, True
        try:
            yield
        finally:
            if top:
                _, self._saved, self.redis = self.redis.execute(), None, self._saved

    def clear(self, keys):
        with self.pipeline():
            for key in keys:
                self.redis.delete(key)  # calls: client-or-pipeline
