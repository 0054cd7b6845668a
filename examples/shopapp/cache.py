"""Redis clients and the cache layer shared by the web app and the worker."""
import json
import os
import zlib

import redis

# Text values: profiles, counters, flags, job payloads. Replies are str.
redis_client = redis.Redis.from_url(
    os.environ["REDIS_URL"],
    socket_timeout=5,
    socket_connect_timeout=2,
    decode_responses=True,
)

# Binary values: compressed blobs. Replies are bytes.
blob_client = redis.Redis.from_url(
    os.environ["REDIS_URL"],
    socket_timeout=5,
    socket_connect_timeout=2,
    decode_responses=False,
)

CATALOG_TTL = 600
RECENT_ORDERS_TTL = 300


def user_key(uid):
    return f"user:{uid}"


# --- user profiles -----------------------------------------------------------


def save_profile(user):
    redis_client.set(f"user:{user.id}:name", user.name)
    redis_client.set(f"user:{user.id}:email", user.email)
    redis_client.set(f"user:{user.id}:age", user.age)


def load_profile_name(uid):
    return redis_client.get(f"user:{uid}:name")


def save_account(user):
    redis_client.hset(
        user_key(user.id),
        mapping={"name": user.name, "email": user.email, "age": user.age},
    )


def load_account(uid):
    return redis_client.hgetall(user_key(uid))


def save_order_history(uid, orders):
    redis_client.hset(user_key(uid), "orders", json.dumps([o.to_dict() for o in orders]))


def record_login(uid, when):
    redis_client.hset(user_key(uid), "last_login", when.isoformat())
    redis_client.hincrby(user_key(uid), "logins", 1)


# --- cached pages and query results ------------------------------------------


def cache_catalog_page(page, products):
    payload = json.dumps([p.to_dict() for p in products]).encode()
    blob_client.set(f"catalog:page:{page}", zlib.compress(payload), ex=CATALOG_TTL)


def load_catalog_page(page):
    blob = blob_client.get(f"catalog:page:{page}")
    if blob is None:
        return None
    return json.loads(zlib.decompress(blob))


def cache_recent_orders(user_id, orders):
    rows = [o.to_dict() for o in orders]
    redis_client.set(f"orders:recent:{user_id}", json.dumps(rows), ex=RECENT_ORDERS_TTL)


def load_recent_orders(user_id):
    raw = redis_client.get(f"orders:recent:{user_id}")
    return json.loads(raw) if raw is not None else None


def set_feature_flags(uid, theme, beta):
    flags = {"theme": theme, "beta": beta}
    redis_client.set(f"flags:{uid}", json.dumps(flags), ex=86400)
