from flask_redis import FlaskRedis
from redisvl.redis.connection import RedisConnectionFactory
from rq import get_current_connection
from scrapy_redis.connection import get_redis_from_settings
import walrus

from pkg.conn import get_async_conn, get_conn, get_other, get_rebound

redis_store = FlaskRedis()
db = walrus.Database(host="db.internal", socket_timeout=5)


def sync_path(key):
    get_conn().hset(key, "a", 1)  # calls: client


async def async_path(key):
    r = get_async_conn()
    await r.hset(key, "a", 1)  # calls: async-client


def other_path(key):
    r = get_other()
    r.hset(key, "a", 1)  # calls: inferred-client


def rebound_path(key):
    r = get_rebound()
    r.hset(key, "a", 1)  # calls: inferred-client


def flask_store(key):
    redis_store.sadd(key, "x")  # calls: client


async def vector_store(url, key):
    r = RedisConnectionFactory.get_async_redis_connection(url)
    await r.hset(key, "a", 1)  # calls: async-client


def in_job(key):
    get_current_connection().lpush(key, "x")  # calls: client


def spider(settings, key):
    server = get_redis_from_settings(settings)
    server.zadd(key, {"u": 1})  # calls: client


def walrus_db(key):
    db.hset(key, "a", 1)  # calls: client
