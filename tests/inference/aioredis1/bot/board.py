class Board:
    def __init__(self, bot):
        self.redis = bot.redis

    async def pin(self, identifier, message):
        await self.redis.sadd(f"board:list:{identifier}", message)  # calls: none
        await self.redis.hset(f"board:{identifier}", "message", message)  # calls: none
