"""isinstance() of a project class: the instance it names, here with an
attribute that is a client; and the call form of property()."""
import redis

from .conn import Connection


class ResQ:
    def __init__(self, server="localhost:6379"):
        self._redis = redis.Redis(host=server.split(":")[0], socket_timeout=5)

    def _get_redis(self):
        return self._redis

    def _set_redis(self, server):
        if isinstance(server, redis.Redis):
            self._redis = server
        else:
            raise TypeError(server)

    redis = property(_get_redis, _set_redis)

    def push(self, queue, item):
        self.redis.lpush("resque:queue:" + queue, item)  # calls: client


class Worker:
    def __init__(self, server="localhost:6379"):
        self.server = server
        if isinstance(self.server, str):
            self.resq = ResQ(self.server)
        elif isinstance(self.server, ResQ):
            self.resq = self.server
        else:
            raise TypeError(server)

    def register(self):
        self.resq.redis.sadd("resque:workers", str(self))  # calls: client


class Labels:
    def _get(self):
        return {}

    names = property(_get)

    def add(self, k):
        self.names.sadd(k)  # calls: none


def start(conn: Connection):
    return conn.conn.lrange("jobs", 0, 9)  # calls: client


def connections():
    """Callers hand it a URL, options and a client: only isinstance() tells."""
    return [Connection("redis://cache:6379/0"), Connection({"host": "cache"}),
            Connection(redis.Redis(socket_timeout=5))]
