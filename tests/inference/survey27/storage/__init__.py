# A package that re-exports its bases (nothing here mentions the server).
from storage.base import ControllerBase, Plain
