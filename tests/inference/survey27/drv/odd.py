# Negative twins: the slot the base keeps is not what the callers pass
# there, and two drivers of different classes reach one controller.
import storage


class OddController(storage.ControllerBase):
    def __init__(self, extra, driver):
        super().__init__(extra)
        self.extra = driver

    def post(self, queue):
        self.driver.connection.lpush(queue, 1)  # calls: inferred-client


class MixedController(storage.ControllerBase):
    def post(self, queue):
        self.driver.connection.lpush(queue, 1)  # calls: inferred-client
