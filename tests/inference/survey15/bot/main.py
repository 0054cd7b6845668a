# A chat bot keeps its clients on itself; its extensions (cogs) reach them
# through the bot they are given.
import redis.asyncio as aioredis
from discord.ext import commands


class Shelf:
    def __init__(self):
        self.d = {}

    def hset(self, key, field, value):
        self.d[(key, field)] = value


class StatsBot(commands.Bot):
    def __init__(self):
        super().__init__(command_prefix="!")
        self.kv = aioredis.from_url("redis://cache", socket_timeout=5)
        self.shelf = Shelf()
