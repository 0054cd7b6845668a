import redis

from .consumer import poll_with_retry, record, trim_all

r = redis.Redis(host="events", socket_timeout=5)


def main():
    while True:
        poll_with_retry(3, conn=r, group="runners", consumer="r1")
        record(r, "seen", **{"source": "main"})
        trim_all("log", sink=r)
