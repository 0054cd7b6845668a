"""Subclasses in another module: super().__init__(...) and super(Cls, self)."""
import redis

from superinit.base import Ledger, Scratch


class ShopLedger(Ledger):
    def __init__(self, url):
        super().__init__(redis.Redis.from_url(url, socket_timeout=5), "shop:")

    def refund(self, account, amount):
        self.conn.hincrby(self.prefix + account, "refunds", amount)  # calls: client


class LocalLedger(Ledger):
    def __init__(self):
        super(LocalLedger, self).__init__(redis.Redis(host="ledger", socket_timeout=5), "local:")


class MemoryScratch(Scratch):
    def __init__(self):
        super().__init__(set())  # a set, not a client: the base's store stays unknown


def main():
    ShopLedger("redis://ledger:6379/0").credit("a", 1)
    LocalLedger().refund("b", 2)
    MemoryScratch().note("k")
