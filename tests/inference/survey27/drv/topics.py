# A controller whose base the package re-exports by an alias.
import storage


class TopicController(storage.Keeper):
    def publish(self, topic, body):
        self.driver.connection.xadd(topic, {"b": body}, maxlen=1000)  # calls: client
