# Clients kept on the application object at startup: Flask's app, Pyramid's
# registry, Celery's app.
import redis
from flask import Flask
from pyramid.config import Configurator


class MemoryStore:
    def __init__(self):
        self.h = {}

    def hset(self, key, field, value):
        self.h[(key, field)] = value


def create_app():
    app = Flask(__name__)
    app.redis = redis.Redis(socket_timeout=5)
    app.store = MemoryStore()
    return app


def make_wsgi(settings):
    config = Configurator(settings=settings)
    config.registry.redis_client = redis.Redis.from_url(settings["redis_url"], socket_timeout=5)
    return config.make_wsgi_app()


def init_worker(celery_app):
    celery_app.cache_client = redis.Redis(socket_timeout=5)
