# redis-py calls the function given to transaction() with a transaction
# pipeline of the client (WATCH on the keys, then MULTI/EXEC).
import redis


def bump(r: redis.Redis):
    def cb(pipe):
        n = pipe.hget("ctr", "n")  # calls: transaction
        pipe.multi()
        pipe.hset("ctr", "n", int(n or 0) + 1)  # calls: transaction

    r.transaction(cb, "ctr")


class Counter:
    def __init__(self):
        self.redis = redis.Redis(socket_timeout=5)

    def _incr(self, pipe):
        value = pipe.hget("counter", "n")  # calls: transaction
        pipe.multi()
        pipe.hset("counter", "n", int(value or 0) + 1)

    def incr(self):
        self.redis.transaction(self._incr, "counter")
