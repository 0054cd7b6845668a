"""Server-side sessions and shopping carts."""
import json
import pickle
import secrets

import redis

SESSION_TTL = 3600
CART_TTL = 7 * 86400


class SessionStore:
    """Sessions live in Redis; the last few are also kept in process."""

    def __init__(self, url):
        self.redis = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=5,
            socket_connect_timeout=2,
        )
        self.recent = {}

    def _key(self, sid):
        return f"session:{sid}"

    def create(self, user_id):
        sid = secrets.token_urlsafe(24)
        data = {"user_id": user_id, "csrf": secrets.token_hex(16)}
        self.redis.set(self._key(sid), json.dumps(data), ex=SESSION_TTL)
        self.recent[sid] = data
        return sid

    def load(self, sid):
        if sid in self.recent.keys():
            return self.recent.get(sid)
        raw = self.redis.get(self._key(sid))
        return json.loads(raw) if raw is not None else None

    def touch(self, sid):
        self.redis.expire(self._key(sid), SESSION_TTL)

    def destroy(self, sid):
        self.recent.pop(sid, None)
        self.redis.delete(self._key(sid))

    # Carts hold arbitrary objects, so they are pickled.

    def save_cart(self, sid, cart):
        self.redis.set(f"cart:{sid}", pickle.dumps(cart), ex=CART_TTL)

    def load_cart(self, sid):
        raw = self.redis.get(f"cart:{sid}")
        return pickle.loads(raw) if raw is not None else []
