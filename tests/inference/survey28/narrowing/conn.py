"""A connection that takes options, a URL or a built client: isinstance()
says which, and the branch that keeps the caller's object keeps a client."""
import redis
from redis.asyncio import Redis as AsyncRedis


class Connection:
    def __init__(self, opts=None):
        if isinstance(opts, redis.Redis):
            self.conn = opts
        elif isinstance(opts, dict):
            self.conn = redis.Redis(socket_timeout=5, **opts)
        else:
            self.conn = redis.from_url(opts or "redis://localhost", socket_timeout=5)

    def enqueue(self, queue, job):
        return self.conn.rpush(queue, job)  # calls: client


class AsyncConnection:
    def __init__(self, opts):
        self.raw = opts
        if isinstance(opts, (AsyncRedis,)) and opts is not None:
            self.conn = opts
        else:
            self.conn = AsyncRedis.from_url(opts, socket_timeout=5)

    async def depth(self, queue):
        return await self.conn.llen(queue)  # calls: async-client


class Settings:
    pass


def describe(thing, queue):
    if isinstance(thing, Settings):
        return thing.zcard(queue)  # calls: inferred-client
    if isinstance(thing, str):
        return thing.zcount(queue, 0, 1)  # calls: inferred-client
    return None
