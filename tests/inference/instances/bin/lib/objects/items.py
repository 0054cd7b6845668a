# Module globals built through an instance of an imported class that is
# released afterwards (`loader = None`): the clients stay proven.
from lib.loader import Loader
from plugins import load_plugin

loader = Loader()
r_items = loader.get_db_conn("items")
settings = loader.get_setting("items")
loader = None

other = load_plugin("loader")  # something unknown
r_other = other.get_db_conn("other")
other = None


def add(item_id):
    r_items.sadd("items:all", item_id)  # calls: client


def other_add(item_id):
    r_other.sadd("items:other", item_id)  # calls: inferred-client


def config():
    return settings.get("section")  # calls: none
