import redis

from app.clients import CLIENTS, MIXED, NAMES, REPLICAS, Connection, Handle, configurable
from app.clients import lazy_client, not_a_client, pick


def by_name(uid):
    CLIENTS["cache"].get("user:%s" % uid)  # calls: client
    CLIENTS.get("queue").get("job:%s" % uid)  # calls: client
    pick("cache").get("user:%s" % uid)  # calls: client
    NAMES["cache"].get("user:%s" % uid)  # calls: none
    MIXED["cache"].get("user:%s" % uid)  # calls: none


def fan_out(uid):
    for r in REPLICAS:
        r.delete("user:%s" % uid)  # calls: client
    for name, c in CLIENTS.items():
        c.delete("user:%s" % uid)  # calls: client
    for c2 in CLIENTS.values():
        c2.delete("user:%s" % uid)  # calls: client
    for key in CLIENTS:
        key.get("x")  # calls: none


def lazy(uid):
    lazy_client.get("user:%s" % uid)  # calls: client
    configurable().get("user:%s" % uid)  # calls: inferred-client
    not_a_client().get("user:%s" % uid)  # calls: none


def entered(uid):
    with Connection() as conn:
        conn.get("user:%s" % uid)  # calls: client
    with Handle() as h:
        h.get("user:%s" % uid)  # calls: none


def partly_known(cls, url, fallback):
    if url:
        client = cls.from_url(url)  # a class only known at run time
    else:
        client = redis.Redis()
    client.get("user:1")  # calls: inferred-client
    other = fallback["cache"] if url else redis.Redis()
    if url:
        other = fallback["cache"]  # a subscript: too little to go on
    other.get("user:2")  # calls: none
    box = dict() if url else redis.Redis()
    box.get("user:3")  # calls: none


def helpers_are_a_module(store):
    from app import helpers

    helpers.hset(store, "user:1", "name", "x")  # calls: none
    helpers.rpush(store, "log", "x")  # calls: none
