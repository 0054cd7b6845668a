# Shape 3, proven: the base class in another file builds the client.
from app.base import BaseDao, Settings


class SiteDao(BaseDao):
    def insert(self, site):
        self.redis.set(f"site:{site}", 1)  # calls: client


class ProdSettings(Settings):
    def warm(self):
        self.redis_client.get("warm")  # calls: client


class Plain:
    def insert(self, site):
        self.redis.set(f"site:{site}", 1)  # calls: none
