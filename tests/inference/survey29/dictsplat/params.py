"""A function called with a dict of its arguments splatted."""
import redis


def fetch_parameters(red, fmt, rootdir):
    red.hset("PARAMETERS", "format", fmt)  # calls: client
    red.rpush("ROOTS", rootdir)  # calls: client


def tally(store, key):
    store.zadd(key, {"n": 1})  # calls: inferred-client


def main():
    red = redis.Redis(decode_responses=True, host="params", socket_timeout=5)
    parameters = {"red": red, "fmt": "json", "rootdir": "/tmp"}
    fetch_parameters(**parameters)
    counts = {"store": {}, "key": "k"}
    tally(**counts)
