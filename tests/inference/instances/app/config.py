# Shape 1: a method factory on a loader object; shape 6: a context manager.
from contextlib import contextmanager

import redis


class ConfigLoader:
    def __init__(self, cfg):
        self.cfg = cfg

    def get_db_conn(self, name):
        return redis.Redis(host=self.cfg[name]["host"], decode_responses=True, socket_timeout=5)


class Registry:
    def client(self):
        return redis.Redis(socket_timeout=5)

    @staticmethod
    def shared():
        return redis.Redis(socket_timeout=5)


loader = ConfigLoader({"cache": {"host": "localhost"}})
r_cache = loader.get_db_conn("cache")
r_cache.get("k")  # calls: client


@contextmanager
def connection():
    client = redis.Redis.from_url("redis://localhost", socket_timeout=5)
    yield client
    client.close()


def use_cm():
    with connection() as r:
        r.get("k")  # calls: client


class Plain:
    def get(self, key):
        return key


def not_a_client():
    p = Plain()
    p.get("k")  # calls: none


@contextmanager
def opened(path):
    with open(path) as fh:
        yield fh


def use_file():
    with opened("x") as fh:
        fh.read()  # calls: none
