"""Clients kept in registries, behind lazy proxies and handed out by objects."""
import redis
from django.utils.functional import LazyObject
from django.utils.module_loading import import_string

from app import settings

CLIENTS = {"cache": redis.Redis(host="cache"), "queue": redis.Redis(host="queue")}
REPLICAS = [redis.Redis(host="r1"), redis.Redis(host="r2")]
NAMES = {"cache": "cache-host", "queue": "queue-host"}  # data, not clients
MIXED = {"cache": redis.Redis(host="cache"), "name": settings.NAME}  # not every item is one


def pick(name):
    return CLIENTS[name]


@LazyObject
def lazy_client():
    return redis.Redis.from_url(settings.URL)


def configurable():
    client_class = redis.Redis
    if settings.CLIENT_CLASS:
        client_class = import_string(settings.CLIENT_CLASS)
        return client_class.from_url(settings.URL)
    return redis.Redis.from_url(settings.URL)


def not_a_client():
    if settings.X:
        return settings.make()
    return settings.other()


class Connection:
    def __enter__(self):
        self.client = redis.Redis()
        return self.client

    def __exit__(self, *exc):
        self.client.close()


class Handle:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Base:
    def connection(self):
        return redis.Redis()


class Child(Base):
    def connection(self):
        return settings.other()

    def parent_connection(self, uid):
        super().connection().get("user:%s" % uid)  # calls: client
        self.connection().get("user:%s" % uid)  # calls: none
