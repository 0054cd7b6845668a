# Type aliases of clients, used in return annotations in other modules.
from typing import Optional, Union

from redis import Redis
from redis.cluster import RedisCluster

SyncClient = Redis | RedisCluster
MaybeClient = Optional[Union[Redis, RedisCluster]]
NotAClient = int | str
