"""Annotations whose class is imported for type checkers only."""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio.client import Redis

    from .ops import Ops
else:
    Ops = Redis = object


async def crawl_size(redis: Redis, crawl_id: str):
    return await redis.hgetall(crawl_id + ":size")  # calls: async-client
