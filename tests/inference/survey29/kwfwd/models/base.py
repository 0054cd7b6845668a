"""A base that reads its client from **kwargs; its subclasses live in other
modules and hand their **kwargs on through super().__init__."""


class Component(object):
    def __init__(self, **kwargs):
        self.redis = kwargs["redis"]
        self.my_id = kwargs.get("my_id", "")

    def get_prop(self, attr):
        return self.redis.hget("c:" + self.my_id, attr)  # calls: client


class Plain(object):
    def __init__(self, **kwargs):
        self.store = kwargs["store"]

    def put(self, k):
        self.store.sadd(k, 1)  # calls: inferred-client
