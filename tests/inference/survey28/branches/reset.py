"""One local name for a Redis client in one branch and a database
connection in the other: each call is what the branch assigned."""
import sqlite3


def reset(kind):
    if kind == "redis":
        import redis

        conn = redis.Redis(host="localhost", socket_timeout=5)
        conn.flushdb()  # calls: client
        conn.close()
    else:
        conn = sqlite3.connect("state.db")
        conn.execute("DELETE FROM jobs")  # calls: none
        conn.close()


def rebuild(kind, make_store):
    """The other branch builds something unknown: the code chose another
    object there, so its hset() is no evidence of a client."""
    if kind == "redis":
        import redis

        store = redis.Redis(host="localhost", socket_timeout=5)
        store.zadd("jobs", {"a": 1})  # calls: client
    else:
        store = make_store()
        store.hset("jobs", "a", 1)  # calls: none
    return store
