"""A TypeVar bound to client classes: no class of the project."""
from typing import TypeVar, Union

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

ClientT = TypeVar("ClientT", bound=Union[Redis, AsyncRedis])


class Recorder:
    """A project class: an instance of it is no client."""

    def expire(self, key, ttl):
        return (key, ttl)
