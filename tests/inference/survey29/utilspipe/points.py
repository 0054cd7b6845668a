"""redis.utils.pipeline(): a transaction pipeline executed when the block ends."""
import redis
import redis.utils

_r = redis.Redis(host="points", socket_timeout=5)


class Tally:
    def pipeline(self):
        return self

    def hincrby(self, *a):
        return a


def record(user, amount):
    with redis.utils.pipeline(_r) as pi:
        pi.hincrby("points", user, amount)  # calls: transaction


def tally(user):
    t = Tally()
    with t.pipeline() as pi:
        pi.hincrby("points", user, 1)  # calls: none
