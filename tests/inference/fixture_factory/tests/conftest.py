# redis-py's own conftest shape: a helper takes the client class, fixtures
# yield what it returns (through `with`, and Redis.client() on the same pool).
import pytest
import redis


def _get_client(cls, request, **kwargs):
    pool = redis.ConnectionPool(**kwargs)
    client = cls(connection_pool=pool)
    client = client.client()  # calls: client
    return client


@pytest.fixture()
def r(request):
    with _get_client(redis.Redis, request) as client:
        yield client


@pytest.fixture()
def r2(request, pool_class):
    yield _other(pool_class, request)


def _other(cls, request):
    return cls()
