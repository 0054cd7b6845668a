"""A facade over one client: the methods that pass their arguments on
unchanged to the same command are that command; the others stay inferred."""
import pickle

import redis


class RedisStore:
    def __init__(self, url):
        self.client = redis.Redis.from_url(url, socket_timeout=5)

    def hset(self, name, key, value):
        """Sets one field."""
        return self.client.hset(name, key, value)

    def zadd(self, name, mapping, nx=False):
        return self.client.zadd(name, mapping, nx=nx)

    def lpush(self, name, *values):
        return self.client.lpush(name, *values)

    def sadd(self, name, value):
        # a value of its own: not the command the caller wrote
        return self.client.sadd(name, pickle.dumps(value))

    def setex(self, name, value, time=3600):
        return self.client.setex(name, time, value)

    def expire(self, name, seconds):
        return self.client.expire(name, seconds)


STORE = RedisStore("redis://cache:6379/0")


def remember(user, item):
    STORE.hset(f"user:{user}", "last", item)  # calls: client
    STORE.lpush(f"seen:{user}", item, "x")  # calls: client
    STORE.sadd(f"items:{user}", item)  # calls: inferred-client
