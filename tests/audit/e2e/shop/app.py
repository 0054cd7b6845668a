"""A shop's Redis code, written the way the audit test fills the server: every
key template here has keys in the data (the test writes them with the same
shapes), except `coupon:{}`, which the data never holds."""
import json

import redis

r = redis.Redis(host="cache.internal", socket_timeout=5)


def save_profile(user):
    r.set(f"user:{user.id}:name", user.name)
    r.set(f"user:{user.id}:email", user.email)
    r.set(f"user:{user.id}:age", user.age)


def save_settings(site, banner_html):
    r.hset(f"site:{site}:settings", "banner", banner_html)


def track_view(product, viewer):
    r.hset(f"views:{product}", viewer, 1)


def follow(brand, user_id):
    r.sadd(f"brand:{brand}:followers", f"user:{user_id}")


def cache_recent_orders(db, customer_id):
    rows = [dict(row) for row in db.execute("SELECT * FROM orders WHERE customer = %s", (customer_id,))]
    r.set(f"orders:recent:{customer_id}", json.dumps(rows))


def recent_orders(customer_id):
    return r.get(f"orders:recent:{customer_id}")


def log_event(event):
    r.rpush("events", json.dumps(event))


def publish(event):
    r.xadd("stream:events", event)


def start_session(sid, payload):
    r.set(f"session:{sid}", payload, ex=3600)


def issue_coupon(code):
    r.set(f"coupon:{code}", 1, ex=86400)
