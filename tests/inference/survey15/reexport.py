# Classes imported through the package's __init__, not from their module.
from pkg import MemoryStore, Store

Store().r.sadd("seen", "a")  # calls: client
MemoryStore().r.sadd("seen", "a")  # calls: none
