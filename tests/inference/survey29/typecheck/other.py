"""Without the TYPE_CHECKING guard `Store = object` is what the name is."""
from .base import Redis

Store = object


async def pending(redis: Redis, crawl_id: str):
    return await redis.llen(crawl_id + ":q")  # calls: async-client


async def stored(db: Store, crawl_id: str):
    return await db.zcard(crawl_id)  # calls: inferred-async-client
