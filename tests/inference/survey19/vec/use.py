# Instances of a class of another module: built by an alternative
# constructor (a classmethod returning cls(...)), or in both branches.
from vec.index import FakeIndex, SearchIndex


def copy_vectors(name, keys):
    index = SearchIndex.from_existing(name)
    pipe = index.client.pipeline(transaction=False)  # calls: client
    for k in keys:
        pipe.hget(k, "embedding")  # calls: pipeline
    return pipe.execute()  # calls: pipeline


def from_config(d, key):
    return SearchIndex.from_dict(d).client.hgetall(key)  # calls: client


def by_branch(plan, resuming):
    if not resuming:
        source = SearchIndex(plan["source"])
    else:
        source = SearchIndex(plan["snapshot"])
    return source.client.hgetall("meta")  # calls: client


def by_ternary(plan, resuming):
    source = SearchIndex(plan["snapshot"]) if resuming else SearchIndex(plan["source"])
    return source.client.hgetall("meta")  # calls: client


def mixed(plan, testing):
    source = FakeIndex() if testing else SearchIndex(plan["source"])
    return source.client.hgetall("meta")  # calls: inferred-client


def looked_up(name):
    return SearchIndex.lookup(name).client.hgetall("meta")  # calls: inferred-client
