# Look-alikes: evidence from use must not make these clients.
import os
from unittest import mock


class HashStore:
    """The project's own wrapper defines hset: a call of hset is no evidence."""

    def __init__(self):
        self.data = {}

    def hset(self, key, field, value):
        self.data.setdefault(key, {})[field] = value


def save(store, key):
    store.hset(key, "f", 1)  # calls: none


def remove(path):
    os.remove(path)  # calls: none


def with_mock():
    fake = mock.MagicMock()
    fake.lpush("q", 1)  # calls: none
    fake.set("k", 1)  # calls: none


def ttl_cache(cache):
    cache.expire()  # calls: none


def literal():
    d = {}
    d.get("k")  # calls: none
    return d


def no_evidence(conn):
    conn.get("k")  # calls: none
    conn.set("k", 1)  # calls: none
