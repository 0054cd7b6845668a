#!/usr/bin/env python3
"""bench/shapes.py - cost of many statement pairs in one function, at n and 4n.

    python3 bench/shapes.py [--redislint BIN] [--n N] [--only NAME,...]

Rules pair calls with each other: a write with the reads of its key, a check
with the write it guards, a read with the comparisons of its reply. A Redis-
dense function holds thousands of such pairs; each shape below puts n of one
kind in one function (or n classes in one module), and runs the release
binary on n and 4n (default n = 1500) with -j 1. Printed per shape: CPU
seconds (best of 3) and peak memory at n and 4n, and their ratios: both must
stay near 4 (linear). A shape is marked SUPERLINEAR when time grows more
than 6x or memory more than 5x. Exit 1 when one does, 2 when the binary
fails.
"""
import argparse
import os
import sys
import tempfile

SHAPES = {
    # loops over a list filled before them: iterable_bound() once per loop
    "grown": lambda n: ["def f(src):", "    items = []", "    for s in src:",
                        "        items.append(s)"] +
    sum(([f"    for x in items:", f"        r.get(f'k{i}:{{x}}')"] for i in range(n)), []),
    # facade classes: the facade test per class
    "facade": lambda n: sum(([f"class F{i}:", "    def __init__(self, c: redis.Redis):",
                               "        self.c = c", "    def hset(self, k, f, v):",
                               "        return self.c.hset(k, f, v)", "    def zadd(self, k, m):",
                               "        return self.c.zadd(k, m)", "    def get(self, k):",
                               "        return self.c.get(k)", f"inst{i} = F{i}(r)",
                               f"def use{i}():", f"    inst{i}.hset('a', 'b', 1)"]
                              for i in range(n)), []),
    # check-then-SADD pairs (RL304's guard)
    "sadd": lambda n: ["def f(done, work):"] +
    sum(([f"    if not r.sismember(done, 'm{i}'):", f"        work({i})",
          f"        r.sadd(done, 'm{i}')"] for i in range(n)), []),
    # cache fills: HGET, test, HSET (RL201 pairs, RL304 reads, RL311 names)
    "hcache": lambda n: ["def f(fpr, export):"] +
    sum(([f"    v{i} = r.hget('h{i}', fpr)", f"    if v{i} is None:",
          f"        r.hset('h{i}', fpr, export(fpr))", f"    r.hdel('x{i}', fpr)"]
         for i in range(n)), []),
    # one name reassigned in n loops (reaching assignments)
    "derived": lambda n: ["def f(ids):"] +
    sum((["    for i in ids:", f"        k = f'u{i}:{{i}}'", "        b = k + ':m'",
          "        r.get(b)"] for i in range(n)), []),
    # EXISTS with both branches writing (RL304's other-branch test)
    "branch": lambda n: ["def f(k, v, keep):"] +
    sum(([f"    if keep and r.exists(k + '{i}'):", f"        r.set(k + '{i}', v, keepttl=True)",
          "    else:", f"        r.set(k + '{i}', v, ex=5)"] for i in range(n)), []),
    # loops whose items each make an HTTP call first (RL302's network test)
    "netloop": lambda n: ["import requests", "def f(items, u):"] +
    sum(([f"    for x in items:", f"        resp = requests.post(u, json=x)",
          f"        r.set(f'k{i}:{{x}}', resp.text)"] for i in range(n)), []),
    # one loop with n commands each under `if i == <const>` (runs once each)
    "ifeq": lambda n: ["def f(items):", "    for i, x in enumerate(items):"] +
    sum(([f"        if i == {i}:", f"            r.sadd('s{i}', x)"] for i in range(n)), []),
    # a client built in each of n functions nothing calls (RL401's caller search)
    "ctor": lambda n: sum(([f"def f{i}(k):", "    c = redis.Redis(socket_timeout=5)",
                           "    return c.get(k)"] for i in range(n)), []),
    # serialized lists stored under one key template in n functions (RL104's
    # fix looks for the file's other uses of the key)
    "blobs": lambda n: ["import json"] +
    sum(([f"def f{i}(uid, rows):", "    r.set(f'orders:{uid}', json.dumps([o for o in rows]))"]
         for i in range(n)), []),
    # a client built from a parameter in each of n functions (RL401's
    # one-client-per-target-server test looks for the callers)
    "hostctor": lambda n: sum(([f"def f{i}(h):", "    c = redis.Redis(host=h, socket_timeout=5)",
                               "    return c.get('k')"] for i in range(n)), []),
    # n module clients, each with a call (RL402's subscriber test looks up the
    # calls on each construction)
    "clients": lambda n: sum(([f"c{i} = redis.Redis(host='h{i}')", f"def f{i}(k):",
                              f"    return c{i}.get(k)"] for i in range(n)), []),
    # a counter set to 0 when missing, n times, nothing incremented (RL304
    # looks for an INCR of the key after each)
    "zeroes": lambda n: ["def f(k):"] +
    sum(([f"    if not r.exists(k + '{i}'):", f"        r.set(k + '{i}', 0)"] for i in range(n)), []),
    # n statements of writes of any kind in a row (RL303's write runs)
    "writes": lambda n: ["def f(k):"] +
    [f"    r.{'sadd' if i % 2 else 'zincrby'}(k + '{i}', 1, 'm')" for i in range(n)],
    # n helpers of one command each, each called in a loop of its own (RL302
    # through the file's helpers: one name lookup per call)
    "helpers": lambda n: sum(([f"def h{i}(k):", f"    return r.get(k + '{i}')"] for i in range(n)), []) +
    ["def f(items):"] + sum(([f"    for x in items:", f"        h{i}(x)"] for i in range(n)), []),
    # one reply name compared n times (RL311)
    "compare": lambda n: ["def f(k):", "    v = r.get(k)"] +
    [f"    if v == 'x{i}':\n        return {i}" for i in range(n)],
    # one loop body of n commands keyed by a row rebuilt per item (RL302: the
    # loop's writes grouped by key once)
    "rows": lambda n: ["def f(lines):", "    for line in lines:", "        row = {}",
                       "        row['a'] = line"] + [f"        r.set(row['a{i}'], 1)" for i in range(n)],
    # n functions each building a client from one module dict of options
    # (RL402: what `**OPTS` holds, worked out once per name)
    "splat": lambda n: ["OPTS = {'host': 'h', 'socket_timeout': 5}"] +
    sum(([f"def f{i}(k):", "    c = redis.Redis(**OPTS)", "    return c.get(k)"] for i in range(n)), []),
    # n imports and n functions using them (an import is found through its
    # name's binding, not by scanning every import)
    "imports": lambda n: [f"from pkg.m{i} import name{i}" for i in range(n)] +
    sum(([f"def g{i}():", f"    return r.get(name{i})"] for i in range(n)), []),
    # one loop of n commands (RL302's pipeline fix: n edits, grown by doubling)
    "bigloop": lambda n: ["def f(items):", "    for it in items:"] +
    [f"        r.set('k{i}', it)" for i in range(n)],
    # n callbacks whose parameter is a client known from use, each handed to
    # a helper (RL302: the file's argument names gathered once)
    "callbacks": lambda n: sum(([f"def cb{i}(conn, items):", "    for x in items:",
                                 f"        conn.hset('k{i}', x, 1)"] for i in range(n)), []) +
    ["def run(c):"] + [f"    helper(cb{i}, c)" for i in range(n)],
    # n classes taking one lock key and n others deleting it (RL502: what
    # each acquire writes worked out once)
    "locks": lambda n: sum(([f"class A{i}:", "    def take(self, tok):",
                             "        return r.set('job:lock', tok, nx=True, ex=5)",
                             f"class B{i}:", "    def drop(self):", "        r.delete('job:lock')"]
                            for i in range(n)), []),
    # a mixin using attributes its n users' other base sets, n unknown ones
    # (each lookup asks its users: bounded)
    "mixin": lambda n: ["class Base:", "    def __init__(self):", "        self.conn = r", "class Mixin:"] +
    sum(([f"    def m{i}(self):", f"        self.conn.zadd('k{i}', {{'a': 1}})", f"        self.x{i}.get('a')"]
         for i in range(n)), []) + sum(([f"class S{i}(Mixin, Base):", "    pass"] for i in range(n)), []),
    # one function returning an n-way tuple from n branches, unpacked by n callers
    "tuples": lambda n: ["def get(x):"] + sum(([f"    if x == {i}:", f"        return r, {i}"] for i in range(n)), []) +
    ["    return r, -1"] + sum(([f"def use{i}():", f"    c, k = get({i})", f"    c.incr('k{i}')"] for i in range(n)), []),
    # stop 28's shapes --------------------------------------------------------
    # one facade of faithful forwarders called n times (each call asks whether
    # its method forwards)
    "forward": lambda n: ["class Store:", "    def __init__(self):", "        self.c = redis.Redis()",
                          "    def hset(self, k, f, v):", "        return self.c.hset(k, f, v)",
                          "    def zadd(self, k, m):", "        return self.c.zadd(k, m)",
                          "    def lpush(self, k, *v):", "        return self.c.lpush(k, *v)",
                          "S = Store()", "def f(x):"] + [f"    S.hset('h{i}', x, {i})" for i in range(n)],
    # n isinstance guards on one name, each with a use (the walk's guards, by position)
    "guards": lambda n: ["def f(c, x):"] +
    sum(([f"    if isinstance(c, redis.Redis):", f"        c.hset('h{i}', x, 1)"] for i in range(n)), []),
    # one name assigned in n branches, one call after each (the reaching assignment)
    "rebound": lambda n: ["import sqlite3", "def f(kind):"] +
    sum(([f"    if kind == {i}:", "        conn = redis.Redis()", "        conn.hset('h', 'f', 1)",
          "    else:", "        conn = sqlite3.connect('x')", "        conn.execute('x')"] for i in range(n)), []),
    # n wrappers passing **kwargs on to one reader, each called once
    "kwargs": lambda n: ["def read(conn, k):", "    return conn.hgetall(k)"] +
    sum(([f"def w{i}(**kw):", "    return read(**kw)", f"def c{i}():", f"    return w{i}(conn=r, k='k{i}')"]
         for i in range(n)), []),
    # one decorator on n methods of one class
    "decorated": lambda n: ["def count(m):", "    def wrapper(self, *a):", "        self.c.incr('calls')",
                            "        return m(self, *a)", "    return wrapper", "class C:",
                            "    def __init__(self):", "        self.c = redis.Redis()"] +
    sum(([f"    @count", f"    def m{i}(self):", f"        return self.c.get('k{i}')"] for i in range(n)), []),
    # n SETs each followed by a call of one helper that expires the key
    "helperexp": lambda n: ["def touch(u):", "    r.expire(f'u:{u}', 60)", "def f(u):"] +
    sum(([f"    r.set(f'u:{{u}}', {i})", "    touch(u)"] for i in range(n)), []),
    # one loop over a hash removing its item n times after object calls (RL302's acks)
    "acks": lambda n: ["def f(api):", "    for j, c in r.hgetall('q').items():"] +
    sum(([f"        api.check{i}(c)", "        r.hdel('q', j)"] for i in range(n)), []),
    # n subclasses of one base keeping a factory method's client (template methods)
    "template": lambda n: ["class B:", "    def __init__(self):", "        self.conn = self.connect()",
                           "    def connect(self):", "        return None"] +
    sum(([f"class S{i}(B):", "    def connect(self):", "        return redis.Redis()",
          f"    def m(self):", f"        return self.conn.hget('h{i}', 'f')"] for i in range(n)), []),
    # n lease classes taking and releasing `self.key` (RL502: by class and text)
    "leases": lambda n: sum(([f"class L{i}:", "    def __init__(self, key):", "        self.key = key",
                              "    def acquire(self):", "        return r.set(self.key, 't', nx=True, ex=5)",
                              "    def release(self):", "        r.delete(self.key)"] for i in range(n)), []),
    # loops calling a helper method through an instance of the file's class (helper_of)
    "insthelper": lambda n: ["class Q:", "    def put(self, k):", "        r.lpush('q', k)",
                             "q = Q()", "def f(items):"] +
    sum(([f"    for x{i} in items:", f"        q.put(x{i})"] for i in range(n)), []),
    # functions reading their **kwargs by key, each called with that keyword
    "kwkeys": lambda n: sum(([f"def k{i}(**kw):", f"    c = kw['conn{i}']", f"    c.hset('h{i}', 'f', 1)",
                              f"k{i}(conn{i}=r)"] for i in range(n)), []),
    # n Pub/Sub objects of a client with a socket timeout, each listened to (RL404)
    "pubsubs": lambda n: ["t = redis.Redis(socket_timeout=5)", "def f():"] +
    sum(([f"    p{i} = t.pubsub()", f"    for m in p{i}.listen():", "        pass"] for i in range(n)), []),
    # n sync locks taken inside one async def (RL405)
    "asynclocks": lambda n: ["async def f():"] +
    sum(([f"    l{i} = r.lock('k{i}', timeout=5)", f"    l{i}.acquire()"] for i in range(n)), []),
    # a dict built empty and filled item by item, read back (A_SETITEM)
    "setitem": lambda n: ["_conns = {}", "def f(k):"] +
    [f"    _conns[k + '{i}'] = redis.Redis(host='h{i}')" for i in range(n)] +
    ["    return _conns[k]", "def g():", "    f('a').hset('h', 'f', 1)"],
}


def run(binary, path):
    """CPU seconds (best of 3) and peak RSS in KB of one lint."""
    best, rss = None, 0
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.execv(binary, [binary, "check", "--no-cache", "-q", "-j", "1", path])
        _, status, ru = os.wait4(pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) > 1:
            sys.exit(f"shapes: {binary} failed on {path} (status {status})")
        t = ru.ru_utime + ru.ru_stime
        best = t if best is None else min(best, t)
        rss = max(rss, ru.ru_maxrss)
    return best, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--redislint", default=os.path.join(os.environ.get("BUILD", "build"), "redislint"))
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--only", help="comma-separated shape names (default: all)")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    if not os.access(a.redislint, os.X_OK):
        sys.exit(f"shapes: build {a.redislint} first")
    bad = 0
    print(f"{'shape':8} {'n':>6} {'time':>7} {'mem MB':>7} {'4n':>6} {'time':>7} {'mem MB':>7} "
          f"{'time x':>7} {'mem x':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, gen in SHAPES.items():
            if only and name not in only:
                continue
            res = []
            for n in (a.n, 4 * a.n):
                path = os.path.join(tmp, f"{name}_{n}.py")
                with open(path, "w") as f:
                    f.write("\n".join(["import redis", "r = redis.Redis(socket_timeout=5)", ""] +
                                      gen(n)) + "\n")
                res.append(run(a.redislint, path))
            (t1, m1), (t4, m4) = res
            tx, mx = t4 / max(t1, 0.01), m4 / max(m1, 1)
            flag = "  SUPERLINEAR" if tx > 6 or mx > 5 else ""
            bad |= bool(flag)
            print(f"{name:8} {a.n:6} {t1:7.2f} {m1 / 1024:7.0f} {4 * a.n:6} {t4:7.2f} {m4 / 1024:7.0f} "
                  f"{tx:7.1f} {mx:6.1f}{flag}", flush=True)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
