# Names that come from a star import of a project module.
from pkg.factories import *


def refresh():
    client = make_client()
    client.set("gameid:1", 1, ex=86400)  # calls: client
    store = make_store()
    store.hset("h", "f", 1)  # calls: none
