from django.conf import settings


def like(post_id):
    settings.REDIS_CLIENT.zincrby("likes", 1, post_id)  # calls: cluster
