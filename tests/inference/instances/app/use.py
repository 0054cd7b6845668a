# A static factory of a project class in another module.
from app.config import Registry


def warm():
    Registry.shared().get("warm")  # calls: client
