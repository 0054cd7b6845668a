# A base class whose helper runs the function it is given inside a
# transaction; subclasses in other files hand it their functions.
import redis


class Collection:
    def __init__(self, key):
        self.redis = redis.Redis(socket_timeout=5)
        self.key = key

    def _transaction(self, fn, *extra_keys):
        results = []

        def trans(pipe):
            results.append(fn(pipe))

        self.redis.transaction(trans, self.key, *extra_keys)
        return results[0]


class Local:
    def __init__(self):
        self.data = {}

    def hget(self, key, field):
        return self.data.get((key, field))

    def _apply(self, fn):
        return fn(self)
