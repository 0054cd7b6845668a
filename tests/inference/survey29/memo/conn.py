"""A memoising factory: clients kept in a dict built empty, one per address."""
from redis import StrictRedis

_connections = {}
_labels = {}


def get_connection(host, port=6379):
    key = (host, port)
    if key not in _connections:
        _connections[key] = StrictRedis(host=host, port=port, socket_timeout=5)
    return _connections[key]


def get_label(name):
    if name not in _labels:
        _labels[name] = name.upper()
    return _labels[name]


def mark(worker):
    get_connection("workers").hset(worker, "status", "done")  # calls: client


def tag(name):
    r = StrictRedis(host="tags", socket_timeout=5)
    r["last"] = name  # __setitem__ of a client: still the client
    r.sadd("tags", name)  # calls: client
    label = get_label(name)
    label.zadd("x", {name: 1})  # calls: inferred-client
