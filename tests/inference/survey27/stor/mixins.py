# A mixin uses an attribute that only its users' other bases set.
from redis import Redis


class RedisBase:
    def __init__(self):
        self.conn = Redis(host="cache", socket_timeout=5)


class ListBase:
    def __init__(self):
        self.conn = []


class PriorityMixin:
    def push(self, item, priority):
        self.conn.zadd("pq", {item: priority})  # calls: client

    def size(self):
        return self.conn.zcard("pq")  # calls: client


class PriorityStorage(PriorityMixin, RedisBase):
    pass


class ExpiringPriorityStorage(PriorityMixin, RedisBase):
    ttl = 60


class CountingMixin:
    def count(self):
        return self.conn.pfcount("seen")  # calls: inferred-client


class RedisCounter(CountingMixin, RedisBase):
    pass


class ListCounter(CountingMixin, ListBase):
    pass
