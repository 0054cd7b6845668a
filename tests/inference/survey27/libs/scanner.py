# Clients other libraries hold: a karton service's backend, rq's queue.
from karton.core import Karton, KartonConfig
from karton.core.backend import KartonBackend
from rq import Queue


class Scanner(Karton):
    identity = "scanner"

    def process(self, task):
        self.backend.redis.incr("scanned")  # calls: client


def cleanup():
    backend = KartonBackend(config=KartonConfig())
    for key in backend.redis.scan_iter(match="karton.task:*"):  # calls: client
        backend.redis.unlink(key)  # calls: client


def pending(queue: Queue):
    return queue.connection.llen("rq:queue:default")  # calls: client


def other(queue):
    return queue.connection.zcount("z", 0, 1)  # calls: inferred-client
