from misc import tuples


class Storage:
    def __init__(self, url):
        self._client, self._scripts = tuples.get_client(url)

    def add(self, key):
        self._client.sadd("keys", key)  # calls: client
