"""Code that uses Redis the way the rules recommend: no findings here."""
import json
import zlib

import redis

r = redis.Redis(host="localhost", port=6379)
BUCKET = 500


def save_author(uid, user):
    r.hset(f"user:{uid}", mapping={"name": user.name, "email": user.email, "bio": user.bio})


def cache_comments(post_id, comments):
    rows = [c.to_dict() for c in comments]
    r.set(f"post:{post_id}:comments", zlib.compress(json.dumps(rows).encode()), ex=300)


def mark_read(post_id, user_id):
    r.sadd(f"post:{post_id}:readers", int(user_id))


def rebuild_view_counts(db):
    with r.pipeline(transaction=False) as pipe:
        for post in db.posts.all():
            pipe.hset(f"views:{post.id // BUCKET}", str(post.id), post.views)
        pipe.execute()
