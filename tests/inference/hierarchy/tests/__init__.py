from unittest import TestCase

import redis


def find_empty_redis_database():
    return redis.Redis(db=15, socket_timeout=5)


class RQTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.connection = find_empty_redis_database()

    def setUp(self):
        self.connection.flushdb()  # calls: client
