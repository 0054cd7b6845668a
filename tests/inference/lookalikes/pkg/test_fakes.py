# A fake client in test code: blocks the evidence in test code only.
class FakeRedis:
    def lpush(self, key, value):
        self.items = [value]


def test_push():
    r = FakeRedis()
    r.lpush("q", 1)  # calls: none


def test_push_param(conn):
    conn.lpush("q", 1)  # calls: none
