"""Clients made by coroutines run to completion at start-up."""
import asyncio

from redis import asyncio as aioredis


async def make_client(size=10):
    return aioredis.from_url("redis://sessions", max_connections=size, socket_timeout=5)


async def make_other():
    return {}


class Server:
    def __init__(self):
        loop = asyncio.get_event_loop()
        self.sessions = loop.run_until_complete(make_client(20))
        self.stats = asyncio.run(make_client())
        self.other = asyncio.run(make_other())

    async def handle(self, sid):
        await self.sessions.sadd("sessions", sid)  # calls: async-client
        await self.stats.zadd("seen", {sid: 1})  # calls: async-client
        await self.other.zadd("seen", {sid: 1})  # calls: inferred-async-client
