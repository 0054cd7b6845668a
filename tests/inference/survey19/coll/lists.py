# Methods inherited from a base of this file, and through it from a base
# in another module: their callers here are callers of those methods.
from coll.base import Collection


class List(Collection):
    def _insert_middle(self, index, value, pipe):
        pipe.lrange(self.key, index, -1)  # calls: transaction
        pipe.rpush(self.key, value)  # calls: transaction

    def insert(self, index, value):
        def trans(pipe):
            pipe.multi()
            self._insert_middle(index, value, pipe=pipe)

        return self._transaction(trans)


class Deque(List):
    def insert_at(self, index, value):
        def trans(pipe):
            pipe.multi()
            self._insert_middle(index, value, pipe=pipe)  # List's, inherited

        return self._transaction(trans)  # Collection's, through List

    def _rotate(self, conn, n):
        for _ in range(n):
            conn.rpoplpush(self.key, self.key)  # calls: pipeline

    def rotate(self, n):
        pipe = self.redis.pipeline(transaction=False)
        self._rotate(pipe, n)
        pipe.execute()
