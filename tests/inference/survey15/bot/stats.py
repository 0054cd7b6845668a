from discord.ext import commands


class Stats(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    @commands.command()
    async def seen(self, ctx, user):
        await self.bot.kv.hincrby("seen", user, 1)  # calls: async-client
        await ctx.bot.kv.zadd("scores", {user: 1})  # calls: async-client
        self.bot.shelf.hset("local", user, 1)  # calls: none
