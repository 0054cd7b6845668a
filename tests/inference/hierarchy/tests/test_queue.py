# Shape 5: unittest setUp in a base class of another file.
from tests import RQTestCase


class TestQueue(RQTestCase):
    def test_push(self):
        self.connection.rpush("q", 1)  # calls: client
        self.connection.get("k")  # calls: client


class TestUnrelated:
    # not a subclass of RQTestCase: its connection is nobody's client
    def test_push(self):
        self.connection.set("q", 1)  # calls: none
