from unittest.mock import MagicMock

from redis.exceptions import ResponseError

from quant.vectors import read_vectors, write_vectors


def test_read_vectors():
    client = MagicMock()
    client.pipeline.return_value.execute.return_value = [b"x"]
    assert read_vectors(client, ["k"]) == [b"x"]


def test_write_vectors():
    write_vectors(MagicMock(), [("k", b"v")])


def test_error():
    assert ResponseError
