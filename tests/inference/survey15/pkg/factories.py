# Factories that another module takes with `from pkg.factories import *`.
import redis


class Shelf:
    def __init__(self):
        self.d = {}

    def hset(self, key, field, value):
        self.d[(key, field)] = value


def make_client():
    return redis.Redis(decode_responses=True, socket_timeout=5)


def make_store():
    return Shelf()
