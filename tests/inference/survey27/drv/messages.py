# A controller that keeps the driver itself.


class MessageController:
    def __init__(self, driver):
        self.driver = driver
        self._client = driver.connection

    def post(self, queue, body):
        self._client.rpush(queue, body)  # calls: client
        with self._client.pipeline() as pipe:
            pipe.lpush(queue, body)  # calls: transaction
            pipe.execute()
