# A job library's connection: built lazily by get_connection(), or handed
# in by the application through set_connection(), which nothing in the
# project calls (what an outside caller passes is no evidence either way).
import redis

_CONN = None
_URL_CONN = None


def set_connection(conn):
    """Public API: let the application supply its own client."""
    global _CONN
    _CONN = conn


def get_connection():
    global _CONN
    if _CONN is None:
        _CONN = redis.Redis(socket_timeout=5)
    return _CONN


def enqueue(queue, payload):
    conn = get_connection()
    conn.rpush("q:" + queue, payload)  # calls: client


def known_queues(conn=None):
    conn = conn or get_connection()
    return conn.smembers("queues")  # calls: client


def connect_url(url):
    # the module global takes the function's local, under `global`
    global _URL_CONN
    client = redis.Redis.from_url(url, socket_timeout=5)
    _URL_CONN = client


def by_url(key):
    return _URL_CONN.hgetall(key)  # calls: client
