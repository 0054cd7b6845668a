# A pure-Python store with Redis-like method names: never a client.
class SetStub:
    def __init__(self):
        self.sets = {}

    def sadd(self, name, *values):
        self.sets.setdefault(name, set()).update(values)


class MemoryStore:
    def __init__(self):
        self.r = SetStub()
