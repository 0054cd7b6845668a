# Class-qualified calls: a @classmethod's `cls(...)` builds its class, and
# `Keys.touch(r, k)` of a class of this file fills the method's parameters.
import redis


class Helper:
    def __init__(self, rds, key):
        self.rds = rds
        self.key = key

    @classmethod
    def make(cls, rds, key):
        rds.unlink(key)  # calls: client
        return cls(rds, key)

    @classmethod
    def from_dict(cls, rds, key, data):
        # a public alternative constructor nobody here calls: what an
        # application passes for rds says nothing against the callers above
        return cls(rds, key)

    def send(self, message):
        self.rds.rpush(self.key, message)  # calls: client


class Keys:
    @classmethod
    def touch(cls, rds, key):
        rds.expire(key, 60)  # calls: client

    @staticmethod
    def touch_static(rds, key):
        rds.expire(key, 60)  # calls: client

    @staticmethod
    def touch_other(rds, key):
        rds.expire(key, 60)  # calls: inferred-client


def main():
    r = redis.Redis(host="cache", socket_timeout=5)
    Helper.make(r, "jobs").send("hello")
    Keys.touch(r, "a")
    Keys.touch_static(r, "a")
    Keys.touch_other(object(), "a")
