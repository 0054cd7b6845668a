"""Redis access for the blog: profiles, comment caches, read markers."""
import json
import os
import pickle

import redis

r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
text = redis.Redis(host="localhost", port=6379, decode_responses=True)


def save_author(uid, user):
    r.set(f"user:{uid}:name", user.name)
    r.set(f"user:{uid}:email", user.email)
    r.set(f"user:{uid}:bio", user.bio)


def author_name(uid):
    return r.get(f"user:{uid}:name")


def cache_comments(post_id, comments):
    key = f"post:{post_id}:comments"
    r.set(key, json.dumps([c.to_dict() for c in comments if c.approved]))


def mark_read(post_id, user_id):
    r.sadd(f"post:{post_id}:readers", f"user:{user_id}")


def save_draft(post_id, draft):
    text.set(f"draft:{post_id}", pickle.dumps(draft), ex=3600)


def draft_title(post_id):
    return text.get(f"draft:{post_id}:title")
