# Shape 5: a pytest fixture in conftest.py gives every test's `r` a client.
import pytest
import redis


@pytest.fixture
def r():
    client = redis.Redis(socket_timeout=5)
    yield client
    client.close()


@pytest.fixture
def numbers():
    yield [1, 2, 3]
