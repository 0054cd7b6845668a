"""Method decorators whose wrapper takes the instance as `self`: the
wrapper's self._redis is the class's client."""
import uuid
from functools import wraps

import redis


def count_calls(method):
    @wraps(method)
    def wrapper(self, *args, **kwargs):
        self._redis.incr(method.__qualname__)  # calls: client
        return method(self, *args, **kwargs)

    return wrapper


def call_history(method):
    @wraps(method)
    def wrapper(self, *args, **kwargs):
        self._redis.rpush(f"{method.__qualname__}:inputs", str(args))  # calls: client
        return method(self, *args, **kwargs)

    return wrapper


def logged(method):
    """Used on two classes: the wrapper's self may be either."""

    def inner(obj, *args):
        obj.store.lpush("log", method.__name__)  # calls: none
        return method(obj, *args)

    return inner


class Cache:
    def __init__(self):
        self._redis = redis.Redis(socket_timeout=5)
        self.store = self._redis

    @call_history
    @count_calls
    def put(self, data):
        key = str(uuid.uuid4())
        self._redis.set(key, data)  # calls: client
        return key

    @logged
    def drop(self, key):
        return self._redis.delete(key)  # calls: client


class Notes:
    def __init__(self):
        self.store = []

    @logged
    def add(self, text):
        self.store.append(text)
