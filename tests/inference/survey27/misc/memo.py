# One client per event loop, memoised in a dict built empty: what the dict
# holds is a client (so is the early return of it); the annotation says the
# same. A connection borrowed from an unknown pool stays inferred.
import asyncio

from redis import asyncio as aioredis

_by_loop: dict = {}
POOL = None


async def shared_connection() -> aioredis.Redis:
    loop = asyncio.get_running_loop()
    found = _by_loop.get(loop)
    if found is not None:
        return found
    conn = aioredis.Redis(host="cache", socket_timeout=5)
    _by_loop[loop] = conn
    return conn


async def unannotated_connection():
    loop = asyncio.get_running_loop()
    found = _by_loop.get(loop)
    if found is not None:
        return found
    conn = aioredis.Redis(host="cache", socket_timeout=5)
    _by_loop[loop] = conn
    return conn


async def borrowed_connection():
    return await POOL.acquire()


async def save(token):
    r = await shared_connection()
    await r.hset("tokens", token, 1)  # calls: async-client
    u = await unannotated_connection()
    await u.pfadd("seen", token)  # calls: async-client
    b = await borrowed_connection()
    await b.pfadd("seen", token)  # calls: inferred-async-client
