import redis

from .broker import Broker


class RedisBroker(Broker):
    def push(self, job):
        return self.conn.rpush(self.name, job)  # calls: client

    @staticmethod
    def open_connection(name):
        return redis.Redis(host="queue", socket_timeout=5)


class MemoryList:
    def rpush(self, name, job):
        return [name, job]

    def lrange(self, name, a, b):
        return []


class MemoryBroker(Broker):
    """The same base with a factory of something else: no client here."""

    def peek(self):
        return self.conn.lrange(self.name, 0, 10)  # calls: none

    @staticmethod
    def open_connection(name):
        return MemoryList()
