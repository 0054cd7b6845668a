# One helper serves redis.Redis and redis.asyncio.Redis: the class passed
# decides what each call builds.
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

import settings

_conn = None


def _from_class(redis_class):
    if not settings.ENABLED:
        return None
    if settings.URL:
        return redis_class.from_url(settings.URL)
    return redis_class(host=settings.HOST, socket_timeout=5)


def get_conn():
    global _conn
    if _conn is None:
        _conn = _from_class(Redis)
    return _conn


def get_async_conn():
    return _from_class(AsyncRedis)


def _from_anything(factory):
    # not a client class: whatever `factory` builds is unknown
    return factory(settings.URL)


def get_other():
    return _from_anything(settings.make_connection)


def _rebinds(redis_class):
    redis_class = settings.pick(redis_class)  # rebound: not the caller's class
    return redis_class.from_url(settings.URL)


def get_rebound():
    return _rebinds(Redis)
