"""A base class whose __init__ takes the hub: used only through subclasses
defined in other modules (three files)."""


class Feed(object):
    def __init__(self, hub, name):
        self.redis = hub.redis
        self.name = name

    def size(self):
        return self.redis.llen(self.name)  # calls: client
