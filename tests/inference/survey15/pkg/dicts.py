from pkg.base import Collection, Local


class Dict(Collection):
    def pop(self, field):
        def pop_trans(pipe):
            value = pipe.hget(self.key, field)  # calls: transaction
            pipe.multi()
            pipe.hdel(self.key, field)  # calls: transaction
            return value

        return self._transaction(pop_trans)


class LocalDict(Local):
    def get(self, field):
        def read(store):
            return store.hget("h", field)  # calls: none

        return self._apply(read)
