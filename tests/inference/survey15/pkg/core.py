import redis


class Store:
    def __init__(self):
        self.r = redis.Redis(socket_timeout=5)
