from .base import BaseDao


class SiteDao(BaseDao):
    def insert(self, site):
        self.redis.hset(f"site:{site.id}", mapping=site.fields)  # calls: inferred-client
        self.redis.set(f"site:{site.id}:seen", 1)  # calls: inferred-client

    def batch(self, sites):
        pipe = self.redis.pipeline(transaction=False)  # calls: inferred-client
        for s in sites:
            pipe.hset(f"site:{s.id}", mapping=s.fields)  # calls: inferred-pipeline
        pipe.execute()  # calls: inferred-pipeline


# Shape 4: an unannotated parameter.
def schedule(conn, job):
    conn.zadd("queue:scheduled", {job.id: job.ts})  # calls: inferred-client
    conn.get("queue:last")  # calls: inferred-client


# A receiver that is not a binding: the same text in the same function.
def through_getter(registry, key):
    registry.client().hgetall(key)  # calls: inferred-client
    registry.client().get(key)  # calls: inferred-client


def other_function(registry, key):
    registry.client().get(key)  # calls: none
