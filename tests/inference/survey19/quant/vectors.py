# Production callers hand a client; a unit test hands MagicMock(): the
# double stands in for the client and says nothing against it.
import redis

CLIENT = redis.Redis(socket_timeout=5)


def read_vectors(client, keys):
    pipe = client.pipeline(transaction=False)  # calls: client
    for k in keys:
        pipe.hget(k, "embedding")  # calls: pipeline
    return pipe.execute()  # calls: pipeline


def write_vectors(client, rows):
    for k, v in rows:
        client.hset(k, "embedding", v)  # calls: inferred-client


def run(keys):
    return read_vectors(CLIENT, keys)


def backfill(rows, fake):
    write_vectors(CLIENT, rows)
    write_vectors(fake, rows)  # a production caller with something else
