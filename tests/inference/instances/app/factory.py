from app.types import MaybeClient, NotAClient, SyncClient


class Factory:
    @staticmethod
    def connect(url) -> SyncClient:
        return make_client(url)

    def maybe(self) -> MaybeClient:
        return self._cached

    def number(self) -> NotAClient:
        return self._n


def use(url):
    Factory.connect(url).get("k")  # calls: client
    Factory().maybe().get("k")  # calls: client
    Factory().number().get("k")  # calls: none
