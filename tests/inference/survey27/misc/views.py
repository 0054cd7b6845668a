# Tuple assignments bind each name to its own value; getattr with a
# constant name is that attribute.
from misc.conn import REDIS_CONN, get_redis_connection


def read_log(req_id):
    rds, key, counter = get_redis_connection(), f"req:{req_id}", 0
    return rds.lrange(key, counter, counter + 9)  # calls: client


def starred(req_id):
    rds, *rest = get_redis_connection(), 1, 2
    return rds.lrange(req_id, 0, 9)  # calls: inferred-client


def iter_keys(index_key):
    client = getattr(REDIS_CONN, "REDIS", None)
    return client.sscan_iter(index_key, count=100)  # calls: client


def iter_dynamic(index_key, name):
    client = getattr(REDIS_CONN, name, None)
    return client.sscan_iter(index_key, count=100)  # calls: inferred-client
