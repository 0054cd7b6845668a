# A tutorial's listings define a function again to show its next version;
# the tests at the bottom call the one live when they run: the last.
import unittest

import redis


def update_token(conn, token, user):
    conn.hset("login:", token, user)  # calls: inferred-client


def update_token(conn, token, user, item=None):  # noqa: F811
    conn.hset("login:", token, user)  # calls: client
    if item:
        conn.zadd("viewed:" + token, {item: 1})  # calls: client


def early(conn):
    conn.sadd("early", 1)  # calls: inferred-client


early(object())  # a module-level call before the redefinition: the first early()


def early(conn):  # noqa: F811
    conn.sadd("early", 2)  # calls: client


class TestListings(unittest.TestCase):
    def setUp(self):
        self.conn = redis.Redis(host="localhost", db=15)

    def test_login(self):
        update_token(self.conn, "t", "u", "i")
        early(self.conn)
