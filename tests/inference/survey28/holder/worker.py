from .core import make_app, make_plain, ping_pong, retry_app


def push(job):
    make_app().broker.lpush("jobs", job)  # calls: client


def push_retry(job):
    retry_app(3).broker.rpush("jobs", job)  # calls: client


def push_plain(job):
    make_plain().broker.lpush("jobs", job)  # calls: none


def bounce(job):
    ping_pong(1).broker.sadd("jobs", job)  # calls: none
