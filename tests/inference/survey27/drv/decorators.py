def lazy_property(write=False, delete=True):
    """A property computed once (a decorator factory: called with options)."""

    def wrapper(fn):
        attr_name = "_lazy_" + fn.__name__

        def getter(self):
            if not hasattr(self, attr_name):
                setattr(self, attr_name, fn(self))
            return getattr(self, attr_name)

        return property(fget=getter, doc=fn.__doc__)

    return wrapper


def once(write=False):
    def wrapper(fn):
        return fn

    return wrapper
