import redis

from kwargsattr.component import Gadget, Repo, Widget

r = redis.Redis(host="widgets", socket_timeout=5)
Widget(redis=r, name="front").bump("views")
Gadget(backend=[]).push(1)  # a list: the backend is not a client
repo = Repo(r)
with r.pipeline() as pipe:
    repo.save("k", {"a": 1}, pipeline=pipe)
    pipe.execute()
