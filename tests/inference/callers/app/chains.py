# Long chains are evaluated once per level (linear), and still resolve.
import redis

r = redis.Redis(socket_timeout=5)
x = make().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a().a()


def flush_all():
    r.pipeline().set("a", 1).set("b", 2).set("c", 3).execute()  # calls: transaction
