# The raw redis-py client behind Django's cache: django-redis'
# `cache.client.get_client()`, Django's own RedisCache `_cache.get_client()`,
# through `caches[alias]` too. The cache facade itself is no client.
from django.core.cache import cache, caches
from django.core.cache import cache as dj_cache


class Grants:
    @property
    def conn(self):
        return cache.client.get_client(write=True)

    def reset(self, key):
        self.conn.sadd(key, "x")  # calls: client


def by_alias(key):
    c = caches["sessions"].client.get_client()
    c.hset(key, "a", 1)  # calls: client


def builtin_backend(key):
    dj_cache._cache.get_client(key, write=True).zadd(key, {"m": 1})  # calls: client


def facade(key):
    cache.set(key, 1)  # calls: none
    caches["default"].set(key, 1)  # calls: none


def other_mapping(key, pools):
    pools["x"].client.get_client().hset(key, "a", 1)  # calls: inferred-client


def lazyproperty(func):  # a project's own property decorator
    return property(func)


class TreeCache:
    @lazyproperty
    def client(self):
        return cache.client.get_client(write=True)

    def built(self, key):
        return self.client.smembers(key)  # calls: client


class Plain:
    @staticmethod
    def client():
        return cache.client.get_client(write=True)

    def built(self, key):
        return self.client.smembers(key)  # calls: none -- a method, not a property: the function object
