def test_hset(r):
    r.set("a", 1)  # calls: client


def test_other(r2):
    r2.set("a", 1)  # calls: none
