# A package that re-exports its classes (shape seen in a task-queue library).
from .core import Store
from .memory import MemoryStore

__all__ = ["MemoryStore", "Store"]
