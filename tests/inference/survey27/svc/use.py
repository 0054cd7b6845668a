# Parameters annotated with a project class: its members are the class's.
from drv.driver import DataDriver
from storage import Plain


def work(d: DataDriver, key):
    d.connection.hset(key, "a", 1)  # calls: client


def plain(p: Plain, key):
    p.connection.zrem(key, "a")  # calls: inferred-client


# A TypeVar is no class: what the code calls on the member decides.
from typing import Generic, TypeVar

ClientT = TypeVar("ClientT")


class Store(Generic[ClientT]):
    _redis: ClientT

    def __init__(self, conn):
        self._redis = conn

    def drop(self, key):
        self._redis.delete(key)  # calls: inferred-client
        self._redis.hdel(key, "a")  # calls: inferred-client
