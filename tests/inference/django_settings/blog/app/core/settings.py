# The second project of the repository: its client is a cluster client.
from redis.cluster import RedisCluster

REDIS_CLIENT = RedisCluster(host="cache", socket_timeout=5)
