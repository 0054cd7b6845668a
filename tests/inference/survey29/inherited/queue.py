from inherited.base import Feed


class Queue(Feed):
    def put(self, item):
        self.redis.rpush(self.name, item)  # calls: client
