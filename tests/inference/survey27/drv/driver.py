# The driver builds the client behind a lazy property and hands itself to
# each controller it makes (`Controller(self)`), in other modules.
import redis

from drv import controllers, decorators, messages, odd, topics


def _get_redis_client(driver):
    return redis.Redis(host=driver.host, socket_timeout=5)


class DataDriver:
    def __init__(self, host):
        self.host = host

    @decorators.lazy_property(write=False)
    def connection(self):
        return _get_redis_client(self)

    @decorators.once(write=False)
    def raw(self):
        return _get_redis_client(self)

    @decorators.lazy_property(write=False)
    def claim_controller(self):
        return controllers.ClaimController(self)

    @decorators.lazy_property(write=False)
    def message_controller(self):
        return messages.MessageController(self)

    @decorators.lazy_property(write=False)
    def odd_controller(self):
        return odd.OddController(None, self)

    def mixed(self):
        return odd.MixedController(self)

    def topics(self):
        return topics.TopicController(self)


class FileDriver:
    def __init__(self, path):
        self.path = path
        self.connection = open(path)

    def mixed(self):
        return odd.MixedController(self)
