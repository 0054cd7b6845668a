# A controller whose constructor only forwards to the base's, which keeps
# the driver on self: `self.driver` is what the driver passed, itself.
import storage


class ClaimController(storage.ControllerBase):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._client = self.driver.connection

    def claim(self, queue, claim_id):
        self._client.hset(claim_id, "q", queue)  # calls: client
        self.driver.connection.zadd(queue, {claim_id: 1})  # calls: client
        self.driver.raw.sadd("claims", claim_id)  # calls: inferred-client
