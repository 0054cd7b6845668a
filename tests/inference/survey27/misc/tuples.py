# `client, scripts = get_client(conf)`: the item of the tuple the function
# returns, here and from another module.
import redis


def get_client(url, scripts=None):
    client = redis.Redis.from_url(url, socket_timeout=5)
    if scripts is not None:
        scripts = {name: client.register_script(code) for name, code in scripts.items()}
    return client, scripts


def get_pair(url):
    if url:
        return redis.Redis.from_url(url, socket_timeout=5), 0
    return {}, 1


def use(url):
    client, scripts = get_client(url, {"incr": "return 1"})
    client.rpush("q", 1)  # calls: client
    other, n = get_pair(url)
    other.lpush("q", 1)  # calls: inferred-client
