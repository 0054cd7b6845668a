#!/usr/bin/env python3
"""Writes the RESP commands that fill a server the way shop/app.py would,
for `redis-cli --pipe`: about 100,000 keys across the code's templates, plus
keys no template matches. Usage: fill.py [SCALE] > commands.resp
SCALE (default 1.0) multiplies the key counts."""
import json
import sys

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
out = sys.stdout.buffer


def cmd(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
    out.write(b"".join(parts))


def n(count):
    return max(1, int(count * SCALE))


for uid in range(n(10000)):  # per-field keys (RL101)
    cmd("SET", f"user:{uid}:name", f"User Number {uid}")
    cmd("SET", f"user:{uid}:email", f"user{uid}@example.com")
    cmd("SET", f"user:{uid}:age", 20 + uid % 60)
for site in range(n(200)):  # one value over 64 bytes: hashtable (RL102)
    cmd("HSET", f"site:{site}:settings", "banner", "<div class='banner'>" + "x" * 120 + "</div>",
        "theme", "dark")
for product in range(n(200)):  # small view hashes stay listpack
    cmd("HSET", f"views:{product}", *[x for v in range(10) for x in (f"v{v}", 1)])
for product in range(n(200), n(200) + n(20)):  # big ones convert (RL103)
    cmd("HSET", f"views:{product}", *[x for v in range(600) for x in (f"v{v}", 1)])
for brand in range(n(100)):  # prefixed ids where an intset would do (RL105)
    cmd("SADD", f"brand:{brand}:followers", *[f"user:{u}" for u in range(50)])
row = {"id": 1, "sku": "SKU-000123", "name": "Blue running shoes", "qty": 2, "price": 79.9,
       "status": "shipped"}
blob = json.dumps([dict(row, id=i) for i in range(30)])
for cust in range(n(2000)):  # uncompressed JSON without a TTL (RL104, RL201)
    cmd("SET", f"orders:recent:{cust}", blob)
for i in range(n(5000)):  # a list that only grows (RL203)
    cmd("RPUSH", "events", json.dumps({"type": "view", "n": i}))
for i in range(n(2000)):  # a stream without a cap (RL204)
    cmd("XADD", "stream:events", "*", "type", "view", "n", i)
for sid in range(n(62500)):  # sessions with a TTL
    cmd("SET", f"session:{sid:08x}", "payload-" + "y" * 40, "EX", 3600)
for i in range(n(5000)):  # written by code outside these paths
    cmd("SET", f"legacy:{i}", "old")
cmd("SET", "tmp:migration-flag", "1")
