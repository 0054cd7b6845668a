import redis

from inherited.queue import Queue


class Hub(object):
    def __init__(self):
        self.redis = redis.Redis(host="feeds", socket_timeout=5)

    def queue(self, name):
        return Queue(self, name)
