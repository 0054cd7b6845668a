"""A client published as a module global through globals()."""
import redis


def init_storage(red):
    globals()["_RED"] = red


def init_names(names):
    globals()["_NAMES"] = names


def store_file(name):
    if _RED.sismember("FILES", name):  # calls: client
        return
    _RED.sadd("FILES", name)  # calls: client
    _NAMES.sadd(name)  # calls: inferred-client


def main():
    init_storage(redis.Redis(host="files", socket_timeout=5))
    init_names(set())
    store_file("a.pcap")
