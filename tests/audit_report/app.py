"""The code side of test_audit_report: one key template per memory rule the
audit measures (RL101-RL105, RL201, RL203, RL204), plus `coupon:{}`, which the
synthetic data never holds."""
import json

import redis

r = redis.Redis(host="cache.internal", socket_timeout=5)


def save_profile(user):
    r.set(f"user:{user.id}:name", user.name)
    r.set(f"user:{user.id}:email", user.email)
    r.set(f"user:{user.id}:age", user.age)


def save_settings(site, banner_html):
    r.hset(f"site:{site}:settings", "banner", "<div class='banner'>" + "x" * 120 + "</div>")


def track_view(product, viewer):
    r.hset(f"views:{product}", viewer, 1)


def rebuild_email_index(User):
    for u in User.objects.all():
        r.hset("users:by_email", u.email, u.id)


def follow(brand, user_id):
    r.sadd(f"brand:{brand}:followers", f"user:{user_id}")


def cache_recent_orders(db, customer_id):
    rows = [dict(row) for row in db.execute("SELECT * FROM orders WHERE customer = %s", (customer_id,))]
    r.set(f"orders:recent:{customer_id}", json.dumps(rows))


def cached_page(url, render):
    html = r.get(f"cache:page:{url}")
    if html is None:
        html = render(url)
        r.set(f"cache:page:{url}", html)
    return html


def log_event(event):
    r.rpush("events", json.dumps(event))


def publish(event):
    r.xadd("stream:events", event)


def start_session(sid, payload):
    r.set(f"session:{sid}", payload, ex=3600)


def issue_coupon(code):
    r.set(f"coupon:{code}", 1, ex=86400)
