def test_uses_fixture(r):
    r.set("k", 1)  # calls: client


def test_other_fixture(numbers):
    numbers.append(4)  # calls: none


def helper(r):
    r.set("k", 1)  # calls: none
