# A Protocol's stub methods describe a client; they do not define a wrapper.
from typing import Protocol


class RedisLike(Protocol):
    def zadd(self, name, mapping): ...

    def sadd(self, name, *values):
        pass


def track(conn, uid):
    conn.zadd("seen", {uid: 1})  # calls: inferred-client
    conn.sadd("users", uid)  # calls: inferred-client
