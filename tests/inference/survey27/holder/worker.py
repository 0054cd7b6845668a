# The owner reaches the code through an annotated parameter (named like a
# framework's app object), a parameter its callers fill, self.
from holder.core import App, Other


def pending(app: App):
    return app.broker.zcard("jobs")  # calls: client


def pending_untyped(app):
    return app.broker.zcard("jobs")  # calls: client


def pending_mixed(holder):
    return holder.broker.zcard("jobs")  # calls: inferred-client


class Worker:
    def __init__(self, app):
        self.app = app

    def push(self, job):
        self.app.broker.lpush("jobs", job)  # calls: client


class Scheduler:
    def __init__(self):
        self.app = App()

    def tick(self):
        self.app.broker.lpush("jobs", b"tick")  # calls: client


def main():
    a = App()
    pending(a)
    pending_untyped(a)
    pending_mixed(a)
    pending_mixed(Other())
    Worker(a).push(b"x")
