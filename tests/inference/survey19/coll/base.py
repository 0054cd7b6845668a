import redis


class Collection:
    def __init__(self, key):
        self.key = key
        self.redis = redis.Redis(socket_timeout=5)

    def _transaction(self, fn, *keys):
        out = []

        def trans(pipe):
            out.append(fn(pipe))

        self.redis.transaction(trans, self.key, *keys)
        return out[0]
