# A module-level object's attribute chain names one object in every
# function of the file: once a Redis-only call shows it is a client, its
# ambiguous calls in other functions count too (KEYS, GET).
from jobs import context


def pause(queue):
    context.connections.redis.sadd("paused", queue)  # calls: inferred-client


def paused_queues(prefix):
    return [k for k in context.connections.redis.keys() if k.startswith(prefix)]  # calls: inferred-client


def last_run(queue):
    return context.connections.redis.get(f"last:{queue}")  # calls: inferred-client


def local_shadow(prefix):
    context = {"connections": None}  # rebound here: another object
    return context.connections.redis.keys()  # calls: none


def other_chain():
    return context.connections.mongo.keys()  # calls: none
