#!/usr/bin/env python3
"""bench/coverage.py - how many of a code base's Redis call sites redislint sees.

    python3 bench/coverage.py [--redislint BIN] [--list-missed N] DIR [DIR...]

A *Redis call site* is a call `X.m(...)` whose method name only a Redis
client has (the REDIS_ONLY names below: hset, zadd, lpush, sadd, setex,
expire, xadd, pipeline, scan_iter, ...), found with Python's own `ast` module,
so the denominator does not depend on redislint at all. A site is *covered*
when `redislint calls DIR` lists a call at the same line with the same
method; `proven` is the share whose receiver the model proved, `+infer` the
share listed at all (proven, or inferred from use: `inferred-*` kinds).

Test code is told apart by path (tests/, test/, t/, testing/, test_*.py,
*_test.py, conftest.py), the same way redislint tells it. Per directory one
line: production sites and shares, then the same including tests.
Exit status 0 unless redislint fails to run (2) or a directory is missing.
"""
import argparse
import ast
import os
import re
import subprocess
import sys

REDIS_ONLY = set("""
hset hget hgetall hmset hmget hincrby hincrbyfloat hdel hexists hkeys hvals hlen hsetnx hscan_iter
zadd zrange zrangebyscore zrevrange zrevrangebyscore zrem zscore zincrby zcard zremrangebyscore
zremrangebyrank zrank zrevrank zcount zpopmin zpopmax bzpopmin bzpopmax zscan_iter zunionstore zinterstore
lpush rpush lpushx rpushx lrange ltrim llen lrem lindex lset blpop brpop brpoplpush rpoplpush lmove blmove
sadd srem smembers sismember smismember scard spop srandmember sinter sunion sdiff sinterstore sunionstore
sdiffstore smove sscan_iter
setex psetex setnx getset getdel getex expire pexpire expireat pexpireat pttl persist incrby incrbyfloat decrby
xadd xread xreadgroup xack xrange xrevrange xlen xtrim xdel xgroup_create xpending xclaim xautoclaim
pipeline scan_iter evalsha script_load register_script pfadd pfcount pfmerge geoadd georadius geosearch
flushdb flushall
""".split())

SKIP_DIRS = {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__",
             ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", "site-packages"}
TEST_DIR = {"tests", "test", "t", "testing"}


def is_test(rel):
    parts = rel.split(os.sep)
    base = parts[-1]
    if any(p in TEST_DIR for p in parts[:-1]):
        return True
    return base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"


def py_files(root):
    for d, subdirs, files in os.walk(root):
        subdirs[:] = sorted(s for s in subdirs if s not in SKIP_DIRS
                            and not os.path.exists(os.path.join(d, s, "pyvenv.cfg")))
        for f in sorted(files):
            if f.endswith(".py"):
                yield os.path.relpath(os.path.join(d, f), root)


def sites(root):
    """(rel, line, method) of every Redis-only method call, with its receiver text."""
    out = []
    for rel in py_files(root):
        try:
            with open(os.path.join(root, rel), "rb") as fh:
                tree = ast.parse(fh.read(), rel)
        except (SyntaxError, ValueError, OSError, RecursionError):
            continue
        defined = {n.name for n in ast.walk(tree)
                   if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for n in ast.walk(tree):
            if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)):
                continue
            m = n.func.attr
            if m not in REDIS_ONLY:
                continue
            recv = n.func.value
            # super().hset(...) and self.hset(...) in a class defining hset are the
            # definitions of a client, not uses of one.
            if isinstance(recv, ast.Call) and getattr(recv.func, "id", "") == "super":
                continue
            if isinstance(recv, ast.Name) and recv.id in ("self", "cls") and m in defined:
                continue
            try:
                text = ast.unparse(recv)
            except Exception:  # noqa: BLE001 - any unparsable receiver is just unnamed
                text = "?"
            out.append((rel, n.lineno, m, text))
    return out


LINE = re.compile(r"^(.*?):(\d+):(\d+)\t(\S+)\t([^\t]*)\.([A-Za-z_0-9]+)\t")


def seen(binary, root):
    p = subprocess.run([binary, "calls", "."], cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode(errors="replace"))
        sys.exit(2)
    got = {}
    for line in p.stdout.decode(errors="replace").splitlines():
        mt = LINE.match(line)
        if not mt:
            continue
        path = os.path.normpath(mt.group(1))
        # a call spanning lines is listed at its first line; ast gives the same
        got[(path, int(mt.group(2)), mt.group(6))] = mt.group(4)
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--redislint", default=os.environ.get("REDISLINT", "build/redislint"))
    ap.add_argument("--list-missed", type=int, default=0, metavar="N",
                    help="print up to N missed receivers per directory (most frequent first)")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    binary = os.path.abspath(a.redislint)
    print(f"{'repository':26} {'prod':>5} {'proven':>6} {'+infer':>6} {'all':>5} {'proven':>6} {'+infer':>6}")
    tot = [0, 0, 0, 0, 0, 0]

    def r(k, n):
        return f"{k / n:.2f}" if n else "  - "

    for d in a.dirs:
        if not os.path.isdir(d):
            print(f"coverage: {d}: not a directory", file=sys.stderr)
            sys.exit(2)
        s = sites(d)
        got = seen(binary, d)
        key = lambda x: (os.path.normpath(x[0]), x[1], x[2])  # noqa: E731
        prod = [x for x in s if not is_test(x[0])]
        hit = lambda x: key(x) in got  # noqa: E731
        proven = lambda x: hit(x) and not got[key(x)].startswith("inferred")  # noqa: E731
        row = [len(prod), sum(map(proven, prod)), sum(map(hit, prod)),
               len(s), sum(map(proven, s)), sum(map(hit, s))]
        tot = [t + v for t, v in zip(tot, row)]
        name = os.path.basename(os.path.normpath(d))
        print(f"{name:26} {row[0]:5} {r(row[1], row[0]):>6} {r(row[2], row[0]):>6} "
              f"{row[3]:5} {r(row[4], row[3]):>6} {r(row[5], row[3]):>6}")
        if a.list_missed:
            miss = {}
            for x in s:
                if not hit(x):
                    miss.setdefault((x[0], x[3]), []).append(x[1])
            for (path, recv), lines in sorted(miss.items(), key=lambda kv: -len(kv[1]))[:a.list_missed]:
                print(f"    missed {len(lines):3}  {path}:{lines[0]}  {recv}")
    print(f"{'TOTAL':26} {tot[0]:5} {r(tot[1], tot[0]):>6} {r(tot[2], tot[0]):>6} "
          f"{tot[3]:5} {r(tot[4], tot[3]):>6} {r(tot[5], tot[3]):>6}")

if __name__ == "__main__":
    main()
