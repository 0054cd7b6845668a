# The same lazy global, but the project itself hands the setter a store
# that is no Redis client: the global is mixed, not proven.
import redis

_STORE = None


def set_store(s):
    global _STORE
    _STORE = s


def get_store():
    global _STORE
    if _STORE is None:
        _STORE = redis.Redis(socket_timeout=5)
    return _STORE


class MemoryStore(dict):
    pass


set_store(MemoryStore())


def push(item):
    get_store().rpush("items", item)  # calls: inferred-client


def _set_private(s):
    # a private setter nothing calls: not the application's hook
    global _PRIV
    _PRIV = s


_PRIV = redis.Redis(socket_timeout=5)


def private_use(k):
    return _PRIV.hgetall(k)  # calls: inferred-client
