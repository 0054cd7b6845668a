from celery import Task
from flask import current_app


def profile(uid):
    return current_app.redis.hgetall(f"user:{uid}")  # calls: client


def remember(uid):
    current_app.store.hset("seen", uid, 1)  # calls: none


def hit(request):
    return request.registry.redis_client.pfcount("visitors")  # calls: client


class BaseTask(Task):
    @property
    def cache(self):
        return self.app.cache_client

    def run(self, key):
        return self.cache.hget(key, "n")  # calls: client
