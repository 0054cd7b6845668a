# A wrapper with its own pickling helpers named like commands (a facade:
# a client in use) that also exposes the raw client as `.connection`.
import pickle

import redis


class CacheClient:
    def __init__(self, url):
        self.connection = redis.Redis.from_url(url, socket_timeout=5)
        self.name = "cache"

    def hget(self, name, key):
        raw = self.connection.hget(name, key)  # calls: client
        return pickle.loads(raw) if raw else None

    def hset(self, name, key, value):
        return self.connection.hset(name, key, pickle.dumps(value))  # calls: client

    def setex(self, key, seconds, value):
        return self.connection.setex(key, seconds, pickle.dumps(value))  # calls: client


def get_cache() -> CacheClient:
    return locate("cache")


def locate(name):
    return globals().get(name)
