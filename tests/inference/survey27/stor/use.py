# The subclasses' attribute from another module: not the base's client.
from stor.storage import GlideStorage, RedisStorage

g = GlideStorage()
g.conn.lpush("queue", [b"c"])  # calls: inferred-client
r = RedisStorage()
r.conn.lpush("queue", b"c")  # calls: client
