# Shape 4: parameters whose every project caller passes a client.
def schedule(conn, job):
    conn.set(f"job:{job}", 1)  # calls: client


def maybe(conn, job):
    conn.set(f"job:{job}", 1)  # calls: none


class SiteDao:
    def __init__(self, redis_client, prefix="site"):
        self.redis = redis_client
        self.prefix = prefix

    def insert(self, site):
        self.redis.set(f"{self.prefix}:{site}", 1)  # calls: client
        self._touch(self.redis, site)

    def _touch(self, client, site):
        client.get(f"{self.prefix}:{site}")  # calls: client


def rebinds(conn):
    conn = conn.get_other()
    conn.set("k", 1)  # calls: none
