from .store import STORE, RedisStore


def rank(board, member, score):
    STORE.zadd(board, {member: score})  # calls: client
    STORE.zadd(board, {member: score}, True)  # calls: inferred-client
    STORE.setex(f"board:{board}:cached", "1")  # calls: inferred-client


def touch(store: RedisStore, key):
    store.expire(key, 60)  # calls: client
