from redis import Redis

from kv.containers import Hash


class Database(Redis):
    def Hash(self, key):
        return Hash(self, key)
