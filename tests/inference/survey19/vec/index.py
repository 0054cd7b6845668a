import redis


class SearchIndex:
    _registry = {}

    def __init__(self, name, redis_url="redis://localhost:6379"):
        self.name = name
        self._url = redis_url
        self._client = None

    @classmethod
    def from_existing(cls, name, redis_url="redis://localhost:6379"):
        return cls(name, redis_url=redis_url)

    @classmethod
    def from_dict(cls, d):
        if "url" in d:
            return cls(d["name"], redis_url=d["url"])
        return cls(d["name"])

    @classmethod
    def lookup(cls, name):
        return cls._registry.get(name)  # not a construction

    @property
    def client(self):
        if self._client is None:
            self._client = redis.Redis.from_url(self._url, socket_timeout=5)
        return self._client


class FakeIndex:
    client = {}
