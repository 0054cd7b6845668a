from kwfwd.models.base import Component, Plain


class Tagged(object):
    """A mixin first among the bases: the keyword still reaches Component."""


class Collection(Tagged, Component):
    def __init__(self, **kwargs):
        super(Collection, self).__init__(**kwargs)

    def add(self, rec):
        self.redis.sadd("c:" + self.my_id + ":r", rec)  # calls: client


class Box(Plain):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
