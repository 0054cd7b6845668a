import redis

from app.jobs import SiteDao, maybe, rebinds, schedule

r = redis.Redis(host="localhost", socket_timeout=5)


def run(job, other):
    schedule(r, job)
    schedule(conn=r, job=job)
    maybe(r, job)
    maybe(other, job)  # an unknown argument: maybe's conn stays unknown
    rebinds(r)
    SiteDao(r).insert("a")
