# A Django project's settings module builds the client the apps share.
import redis

REDIS_CLIENT = redis.Redis(host="cache", socket_timeout=5, decode_responses=True)
LOCAL_CACHE = {}
