# One helper, two callers: one hands the client, the other a pipeline of
# it. The parameter is either (its replies may be queued).
import redis

R = redis.Redis(socket_timeout=5)


def _setex(conn, key, value, ttl):
    return conn.setex(key, ttl, value)  # calls: client-or-pipeline


def mark_running(key):
    _setex(R, key, "1", 60)


def save_result(key, value):
    pipe = R.pipeline(False)
    _setex(pipe, key, value, 3600)
    pipe.execute()


def _hset(conn, key, value):
    return conn.hset(key, "v", value)  # calls: inferred-client


def from_client(key):
    _hset(R, key, 1)


def from_dict(key):
    _hset({}, key, 1)  # a dict: not the client's kind


def _push(conn, queue, payload):
    conn.rpush("q:" + queue, payload)  # calls: client


def delay(queue, payload):
    enq = _push  # a local alias: a call of _push
    return enq(R, queue, payload)


def _pop(conn, queue):
    return conn.lpop("q:" + queue)  # calls: inferred-client


def take(queue, other):
    deq = _pop
    deq(R, queue)
    deq = other  # rebound: no longer only _pop
    return deq({}, queue)
