"""Module-level helpers named like Redis commands."""


def hset(store, key, field, value):
    store.setdefault(key, {})[field] = value


def rpush(store, key, value):
    store.setdefault(key, []).append(value)
