# Shape 3: the attribute is set in a base class from a parameter; only the
# commands called on it say it is a client.
class BaseDao:
    def __init__(self, conn):
        self.redis = conn
