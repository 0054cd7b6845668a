# A TypeVar imported from another module names no class either.
from typing import Generic

from svc.use import ClientT


class Saver(Generic[ClientT]):
    _redis: ClientT

    def __init__(self, conn):
        self._redis = conn

    def touch(self, key):
        self._redis.pexpire(key, 1000)  # calls: inferred-client
