"""Order locks, the payment webhook and the nightly export.

The checkout takes a lock per order so two workers never charge twice; the
export job talks to the analytics Redis of the data team.
"""
import os
import uuid

import redis

from .cache import redis_client

ORDER_LOCK_TTL = 30

RELEASE_LUA = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""
release_script = redis_client.register_script(RELEASE_LUA)

# The data team's Redis, in another data centre.
analytics = redis.Redis(
    host="analytics.example-corp.com",
    password=os.environ["ANALYTICS_REDIS_PASSWORD"],
    socket_timeout=5,
    socket_connect_timeout=2,
)


def charge_once(order_id, charge):
    lock = f"lock:order:{order_id}"
    if not redis_client.setnx(lock, "1"):
        return False
    try:
        charge(order_id)
    finally:
        redis_client.delete(lock)
    return True


def charge_once_safely(order_id, charge):
    lock = f"lock:order:{order_id}"
    token = uuid.uuid4().hex
    if not redis_client.set(lock, token, nx=True, ex=ORDER_LOCK_TTL):
        return False
    try:
        charge(order_id)
    finally:
        release_script(keys=[lock], args=[token])
    return True


def rebuild_search_index(rebuild):
    with redis_client.lock("lock:search-index"):
        rebuild()


def rebuild_search_index_safely(rebuild):
    with redis_client.lock("lock:search-index", timeout=600, blocking_timeout=5):
        rebuild()


def webhook_status(payment_id):
    client = redis.Redis(host="payments-cache", socket_timeout=2)
    return client.get(f"payment:{payment_id}:status")


def export_nightly(rows):
    analytics.rpush("exports:orders", *rows)
    analytics.ltrim("exports:orders", -10000, -1)
