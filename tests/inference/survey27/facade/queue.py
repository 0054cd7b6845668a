# The facade's own methods are inferred (project methods, not commands);
# its raw client is the client the class builds.
from facade.cache import CacheClient, get_cache


def enqueue(item):
    c = CacheClient("redis://cache")
    c.hset("files", "last", item)  # calls: inferred-client
    c.connection.rpush("files", item)  # calls: client


def enqueue_located(item):
    get_cache().connection.rpush("files", item)  # calls: client
    get_cache().name.rpush("files", item)  # calls: inferred-client
