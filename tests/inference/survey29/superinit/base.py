"""A base keeping what its subclasses hand to super().__init__()."""


class Ledger(object):
    def __init__(self, conn, prefix):
        self.conn = conn
        self.prefix = prefix

    def credit(self, account, amount):
        self.conn.hincrby(self.prefix + account, "balance", amount)  # calls: client


class Scratch(object):
    def __init__(self, store):
        self.store = store

    def note(self, key):
        self.store.sadd(key, 1)  # calls: inferred-client
