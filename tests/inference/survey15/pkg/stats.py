# Methods whose parameter is what their callers in other files pass.
class Counter:
    def __init__(self, key):
        self.key = key

    def incr(self, pipe, n):
        pipe.incrby(self.key, n)  # calls: transaction
        pipe.expire(self.key, 3600)  # calls: transaction


class Tally:
    def __init__(self, key):
        self.key = key

    def bump(self, batch, n):
        batch.incrby(self.key, n)  # calls: none
