"""A tenant-prefixing facade: the key goes through a prefix helper, the
rest passes on unchanged; the reply is cast for the type checker."""
from typing import cast

import redis


def _prefix_key(prefix, name):
    return f"{prefix}:{name}"


class TenantClient:
    def __init__(self, prefix: str, client: redis.Redis) -> None:
        self._prefix = prefix
        self._r = client

    def hget(self, name, key):
        return cast("bytes | None", self._r.hget(_prefix_key(self._prefix, name), key))

    def sadd(self, name: str, *values: str) -> int:
        """Adds members; they are stored verbatim."""
        return cast(int, self._r.sadd(_prefix_key(self._prefix, name), *values))

    def zadd(self, name, mapping):
        return self._r.zadd(_prefix_key(self._prefix, name), mapping)

    def hset(self, name, key, value):
        # the field goes through the helper too: not the caller's command
        return self._r.hset(_prefix_key(self._prefix, name), _prefix_key(self._prefix, key), value)

    def rpush(self, name, value):
        # the helper also gets the value: not a prefix of the key alone
        return self._r.rpush(_prefix_key(name, value), value)


def tenant_client(tenant: str) -> TenantClient:
    return TenantClient(tenant, redis.Redis(host="cache", socket_timeout=5))


def follow(tenant, user, other):
    c = tenant_client(tenant)
    c.sadd(f"following:{user}", other, "x")  # calls: client
    c.zadd(f"feed:{user}", {other: 1.0})  # calls: client
    c.hset(f"user:{user}", "name", other)  # calls: inferred-client
    c.rpush(f"log:{user}", other)  # calls: inferred-client
    return c.hget(f"user:{user}", "name")  # calls: client
