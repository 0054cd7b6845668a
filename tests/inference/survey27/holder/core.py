# A project object that owns a client in an attribute.
import redis


class App:
    def __init__(self, host="localhost"):
        self.broker = redis.Redis(host=host, socket_timeout=5)


class Other:
    def __init__(self):
        self.broker = []
