# `settings.REDIS_CLIENT` is what the project's settings module binds; of
# two projects in one repository, the settings beside this app's.
from django.conf import settings

r = settings.REDIS_CLIENT
local = settings.LOCAL_CACHE


def add_item(session_id, product_id, qty):
    r.hincrby(f"cart:{session_id}", product_id, qty)  # calls: client
    r.expire(f"cart:{session_id}", 1800)  # calls: client
    local.hset("cart", session_id, qty)  # calls: inferred-client
