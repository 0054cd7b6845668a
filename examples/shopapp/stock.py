"""Stock levels, price lookups and reservations: the key-lifecycle and
round-trip rules (RL2xx, RL3xx)."""
from .cache import redis_client

RESERVE_LUA = """
local left = tonumber(redis.call('GET', KEYS[1]) or '0')
if left < tonumber(ARGV[1]) then return 0 end
redis.call('DECRBY', KEYS[1], ARGV[1])
return 1
"""
reserve_script = redis_client.register_script(RESERVE_LUA)


def product_card(product_id, render):
    html = redis_client.get(f"card:{product_id}")
    if html is None:
        html = render(product_id)
        redis_client.set(f"card:{product_id}", html)
    return html


def product_card_with_ttl(product_id, render):
    html = redis_client.get(f"card-v2:{product_id}")
    if html is None:
        html = render(product_id)
        redis_client.set(f"card-v2:{product_id}", html, ex=600)
    return html


def price_summary(product_id):
    price = redis_client.get(f"price:{product_id}")
    tax = redis_client.get(f"tax:{product_id}")
    shipping = redis_client.get(f"shipping:{product_id}")
    return price, tax, shipping


def add_stock(product_id, qty):
    left = int(redis_client.get(f"stock:{product_id}") or 0)
    redis_client.set(f"stock:{product_id}", left + qty)


def reserve(product_id, qty):
    return reserve_script(keys=[f"stock:{product_id}"], args=[qty])


def reserve_field(product_id, field):
    script = f"return redis.call('HGET', KEYS[1], '{field}')"
    return redis_client.eval(script, 1, f"product:{product_id}")
