# walrus' shape: containers inherit __init__ from a base; the database (a
# client subclass) creates them with itself, so `self.database` is a client.
class Container:
    def __init__(self, database, key):
        self.database = database
        self.key = key


class Hash(Container):
    def update(self, **data):
        return self.database.hset(self.key, mapping=data)  # calls: client

    def get(self, field):
        return self.database.hget(self.key, field)  # calls: client


class Orphan:
    def __init__(self, database):
        self.database = database

    def read(self):
        return self.database.get("k")  # calls: none
