"""aioredis 1.x: its clients look like redis-py's but are not (set(k, v,
expire=...), hmset_dict): nothing in this project is inferred from use."""
import asyncio
import os

import aioredis


class Bot:
    redis = None


bot = Bot()
loop = asyncio.get_event_loop()
bot.redis = loop.run_until_complete(aioredis.create_redis_pool(os.getenv("REDIS_URL")))
