"""A component that takes its client by keyword through **kwargs."""


class Widget(object):
    def __init__(self, **kwargs):
        self.redis = kwargs["redis"]
        self.name = kwargs.get("name", "w")

    def bump(self, field):
        return self.redis.hincrby("widget:" + self.name, field, 1)  # calls: client


class Gadget(object):
    def __init__(self, **options):
        self.backend = options.get("backend")

    def push(self, item):
        self.backend.rpush("gadgets", item)  # calls: inferred-client


class Repo(object):
    def __init__(self, conn):
        self.conn = conn

    def save(self, key, fields, **kwargs):
        client = kwargs.get("pipeline", self.conn)
        client.hset(key, mapping=fields)  # calls: client-or-pipeline
