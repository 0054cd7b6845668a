# Clients handed out by @asynccontextmanager methods, with or without a
# return annotation (a project Protocol says nothing about the object).
from contextlib import asynccontextmanager
from typing import AsyncIterator, Protocol

from redis.asyncio import ConnectionPool, Redis


class KV(Protocol):
    async def zcard(self, name): ...


class Queue:
    def __init__(self, url: str) -> None:
        self._pool = ConnectionPool.from_url(url)

    @asynccontextmanager
    async def redis(self) -> AsyncIterator[KV]:
        async with Redis(connection_pool=self._pool) as r:
            yield r

    @asynccontextmanager
    async def raw(self):
        async with Redis(connection_pool=self._pool) as r:
            yield r

    async def sizes(self):
        async with self.redis() as r:
            a = await r.zcard("jobs")  # calls: async-client
        async with self.raw() as r2:
            b = await r2.zcard("jobs")  # calls: async-client
        return a, b


@asynccontextmanager
async def connection():
    yield Redis(socket_timeout=5)


async def depth():
    async with connection() as c:
        return await c.llen("jobs")  # calls: async-client
