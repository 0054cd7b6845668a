# An instance of a project class made in another module (app/config.py).
from app.config import loader


def warm():
    r = loader.get_db_conn("cache")
    r.get("warm")  # calls: client
    loader.cfg.get("cache")  # calls: none
