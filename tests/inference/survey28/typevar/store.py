from redis import Redis

from .base import BaseStore, note_with_retry, touch_with_retry


class Store(BaseStore[Redis]):
    def connect(self, url):
        self._conn = Redis.from_url(url, socket_timeout=5)

    def put(self, key, value):
        self._conn.set(key, value, ex=30)  # calls: client
        touch_with_retry(self._conn, key, 30)
        note_with_retry(self._conn, key)
