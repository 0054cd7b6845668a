import redis


class App:
    """A project object that owns a client in an attribute."""

    def __init__(self, host="localhost"):
        self.broker = redis.Redis(host=host, socket_timeout=5)


class Plain:
    def __init__(self):
        self.broker = {}


def make_app() -> App:
    return App("queue-host")


def make_plain():
    return Plain()


def retry_app(n):
    """Recursion: its value is what its other return builds."""
    if n:
        return retry_app(n - 1)
    return App()


def ping_pong(n):
    return pong_ping(n)


def pong_ping(n):
    return ping_pong(n)
