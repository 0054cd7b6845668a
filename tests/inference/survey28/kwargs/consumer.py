"""A retry wrapper that passes its **kwargs on: the reader's parameters
are what the wrapper's callers pass by keyword (here and in main.py)."""


def read_batch(conn, group, consumer, stream_id=">"):
    reply = conn.xreadgroup(group, consumer, {"events": stream_id}, count=10)  # calls: client
    for _stream, entries in reply or []:
        for entry_id, _fields in entries:
            conn.xack("events", group, entry_id)  # calls: client
    return reply


def poll_with_retry(attempts, **read_kwargs):
    for _ in range(attempts):
        try:
            return read_batch(**read_kwargs)
        except ConnectionError:
            continue
    return None


def record(store, key, **extra):
    """An explicit argument beside a **splat keeps what the caller passes."""
    store.zadd(key, {"n": 1})  # calls: client
    return extra


def trim(sink, key):
    sink.ltrim(key, 0, 99)  # calls: inferred-client


def trim_all(key, **opts):
    """**opts that is not the function's own parameter: anything."""
    opts = dict(opts, key=key)
    return trim(**opts)
