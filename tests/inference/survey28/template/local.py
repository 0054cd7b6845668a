"""The same shape in one file, with a base whose own factory builds a
client and a subclass that overrides it with something else."""
import redis


class Store:
    def __init__(self):
        self.db = self.connect()

    def connect(self):
        return redis.Redis(host="store", socket_timeout=5)

    def add(self, k, v):
        return self.db.sadd(k, v)  # calls: client


class RedisStore(Store):
    def touch(self, k):
        return self.db.expire(k, 60)  # calls: client


class Recorder:
    def smembers(self, k):
        return set()


class FakeStore(Store):
    def connect(self):
        return Recorder()

    def members(self, k):
        return self.db.smembers(k)  # calls: none
