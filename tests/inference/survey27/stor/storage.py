# A base builds its client; subclasses put something else in its place
# (another client library, an in-memory stand-in): their own assignment,
# known or not, is the attribute's value for them, not the base's.
import glide
from redis import Redis


class MemoryList:
    def __init__(self):
        self.items = []

    def llen(self, name):
        return len(self.items)


class RedisStorage:
    def __init__(self):
        self.conn = Redis(host="cache", socket_timeout=5)

    def enqueue(self, data):
        self.conn.lpush("queue", data)  # calls: client


class GlideStorage(RedisStorage):
    def __init__(self, client=None):
        if client is not None:
            self.conn = client
        else:
            self.conn = glide.GlideClient.create({"host": "cache"})

    def enqueue(self, data):
        self.conn.lpush("queue", [data])  # calls: inferred-client


class MemoryStorage(RedisStorage):
    def __init__(self):
        self.conn = MemoryList()

    def size(self):
        return self.conn.llen("queue")  # calls: none


# A class kept in a class attribute and built through it: its callers.
class Stream:
    def __init__(self, database, key):
        self.database = database
        self.key = key

    def add(self, data):
        return self.database.xadd(self.key, data, maxlen=100)  # calls: client


class Group:
    stream_class = Stream

    def __init__(self, database, keys):
        self.streams = [self.stream_class(database, k) for k in keys]


def make_group(keys):
    return Group(Redis(socket_timeout=5), keys)
