"""The base declares the attribute with the TypeVar and never assigns it; a
helper of the module is called with it and, from a subclass elsewhere, with
a client: the helper's parameter is a client."""
from typing import Any, Generic

from .kinds import ClientT, Recorder


def touch_with_retry(conn: Any, key: str, ttl: int) -> bool:
    for _ in range(3):
        conn.expire(key, ttl)  # calls: client
        return True
    return False


def note_with_retry(target: Any, key: str) -> None:
    target.pexpire(key, 10)  # calls: inferred-client


class BaseStore(Generic[ClientT]):
    _conn: ClientT

    def refresh(self, key):
        touch_with_retry(self._conn, key, 60)


class Audit:
    def __init__(self):
        self.rec = Recorder()

    def note(self, key):
        note_with_retry(self.rec, key)
