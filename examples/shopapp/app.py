"""HTTP API of the shop (Flask)."""
import json
import os
import secrets
from datetime import datetime, timezone

from flask import Flask, abort, jsonify, request
from flask_caching import Cache

from .cache import (
    cache_catalog_page,
    cache_recent_orders,
    load_account,
    load_catalog_page,
    load_recent_orders,
    record_login,
    redis_client,
    save_account,
    save_order_history,
    save_profile,
    set_feature_flags,
)
from .models import Catalog, User, connect
from .sessions import SessionStore

app = Flask(__name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60})
sessions = SessionStore(os.environ["REDIS_URL"])
catalog = Catalog(connect())


def install_site_defaults():
    notice = "Prices include VAT. Free shipping over 50 EUR within the EU, 3-5 working days."
    redis_client.hset("site:settings", "footer_notice", notice)
    redis_client.hset("site:settings", mapping={"currency": "EUR", "support": "help@example.com"})


def enqueue(job_type, **fields):
    redis_client.rpush("jobs", json.dumps({"type": job_type, **fields}))


def current_session():
    data = sessions.load(request.cookies.get("sid", ""))
    if data is None:
        abort(401)
    return data


# --- accounts ---------------------------------------------------------------------


@app.put("/users/<int:uid>")
def put_user(uid):
    body = request.get_json()
    user = User(id=uid, name=body["name"], email=body["email"], age=int(body["age"]))
    save_profile(user)
    save_account(user)
    return jsonify(ok=True)


@app.get("/users/<int:uid>")
def get_user(uid):
    account = load_account(uid)
    if not account:
        abort(404)
    return jsonify(account)


@app.post("/login")
def login():
    body = request.get_json()
    uid = int(body["user_id"])
    sid = sessions.create(uid)
    record_login(uid, datetime.now(timezone.utc))
    start_two_factor(uid, body.get("device", "web"))
    response = jsonify(ok=True)
    response.set_cookie("sid", sid, httponly=True, secure=True)
    return response


def start_two_factor(uid, device):
    code = f"{secrets.randbelow(1_000_000):06d}"
    redis_client.set(f"login:{uid}:otp", code, ex=300)
    redis_client.set(f"login:{uid}:attempts", 0, ex=900)
    redis_client.set(f"login:{uid}:device", device, ex=86400)


@app.put("/users/<int:uid>/flags")
def put_flags(uid):
    body = request.get_json()
    set_feature_flags(uid, body.get("theme", "light"), bool(body.get("beta")))
    return jsonify(ok=True)


# --- catalog ----------------------------------------------------------------------


@app.get("/catalog/<int:page>")
def catalog_page(page):
    products = load_catalog_page(page)
    if products is None:
        items = catalog.page(page)
        cache_catalog_page(page, items)
        products = [p.to_dict() for p in items]
    return jsonify(products)


@app.post("/products/<int:pid>/view")
def product_view(pid):
    views = redis_client.incr(f"product:{pid}:views")
    return jsonify(views=views)


@app.patch("/products/<int:pid>")
def update_product(pid):
    changes = request.get_json()
    catalog.set(pid, **changes)
    cache.delete("stats")
    enqueue("refresh_product", product_id=pid)
    return jsonify(ok=True)


@app.post("/brands/<int:brand_id>/follow")
def follow_brand(brand_id):
    session = current_session()
    enqueue("brand_followed", user_id=session["user_id"], brand_id=brand_id)
    return jsonify(ok=True)


@app.get("/stats")
def stats():
    data = cache.get("stats")
    if data is None:
        data = {
            "generated_at": datetime.now(timezone.utc).isoformat(),
            "top": [p.to_dict() for p in catalog.page(0, size=10)],
        }
        cache.set("stats", data, timeout=60)
    return jsonify(data)


# --- orders and cart --------------------------------------------------------------


@app.get("/users/<int:uid>/orders")
def recent_orders(uid):
    orders = load_recent_orders(uid)
    if orders is None:
        found = catalog.recent_orders(uid)
        cache_recent_orders(uid, found)
        save_order_history(uid, found)
        orders = [o.to_dict() for o in found]
    return jsonify(orders)


@app.post("/cart/items")
def add_to_cart():
    sid = request.cookies.get("sid", "")
    cart = sessions.load_cart(sid)
    cart.append(request.get_json())
    sessions.save_cart(sid, cart)
    return jsonify(items=len(cart))


@app.post("/orders/<int:order_id>/paid")
def order_paid(order_id):
    current_session()
    enqueue("order_paid", order_id=order_id)
    return jsonify(ok=True)


install_site_defaults()
