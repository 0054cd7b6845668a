# A package that re-exports its bases (nothing here mentions the server):
# by import, and by an alias of a submodule's name.
from storage import base
from storage.base import ControllerBase, Plain

Keeper = base.ControllerBase
