import redis

from kwfwd.models.collection import Box, Collection

r = redis.StrictRedis.from_url("redis://collections")
Collection(redis=r, my_id="a").add("x")
Box(store=set()).put("k")  # a set: the base's store is not a client
