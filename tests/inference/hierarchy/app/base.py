import redis


class BaseDao:
    def __init__(self):
        self.redis = redis.Redis(socket_timeout=5)


class Settings:
    redis_client = redis.Redis(host="cache.internal", socket_timeout=5)
