# Negative twin: a project class with its own transaction(fn): the callback
# gets what that class passes, not a Redis pipeline.
class LocalBatch:
    def __init__(self):
        self.data = {}

    def hget(self, key, field):
        return self.data.get((key, field))

    def hdel(self, key, field):
        self.data.pop((key, field), None)


class LocalStore:
    def transaction(self, fn, *keys):
        return fn(LocalBatch())


def pop(store: LocalStore, field):
    def pop_trans(pipe):
        value = pipe.hget("h", field)  # calls: none
        pipe.hdel("h", field)
        return value

    return store.transaction(pop_trans, "h")
