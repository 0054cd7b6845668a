# A method called on an instance of a known class: on a fresh one, or on a
# name bound to one; the callers give the parameter its value.
import redis

from pkg.stats import Counter, Tally

r = redis.Redis(socket_timeout=5)


class LocalBatch:
    def __init__(self):
        self.counts = {}

    def incrby(self, key, n):
        self.counts[key] = self.counts.get(key, 0) + n


class Saver:
    def save(self, conn, key):
        conn.hset(key, "seen", 1)  # calls: client


def run():
    with r.pipeline() as pipe:
        Counter("c:obs").incr(pipe, 5)
        pipe.execute()
    Tally("t:obs").bump(LocalBatch(), 1)
    saver = Saver()
    saver.save(r, "job:1")


def fill(pipeline: redis.Redis, items):
    # annotated Redis, handed a pipeline by every caller: a Pipeline is a Redis
    for item in items:
        pipeline.sadd("seen", item)  # calls: pipeline


def run_fill(items):
    p = r.pipeline(transaction=False)
    fill(p, items)
    p.execute()
