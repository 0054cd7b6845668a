"""Nightly statistics job."""
from blog.store import r


def rebuild_view_counts(db):
    for post in db.posts.all():
        r.hset("views:all", str(post.id), post.views)


def rebuild_titles(db):
    r.hset("titles:all", mapping={str(p.id): p.title for p in db.posts.all()})
