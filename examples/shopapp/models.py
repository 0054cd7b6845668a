"""Domain objects and the database access the app needs. No Redis here."""
import os
from dataclasses import asdict, dataclass, field

import psycopg
from psycopg.rows import dict_row


@dataclass
class User:
    id: int
    name: str
    email: str
    age: int

    def to_dict(self):
        return asdict(self)


@dataclass
class Product:
    id: int
    name: str
    price: float
    description: str = ""

    def to_dict(self):
        return asdict(self)


@dataclass
class Order:
    id: int
    user_id: int
    product_ids: list = field(default_factory=list)
    status: str = "new"

    def to_dict(self):
        return asdict(self)


class Catalog:
    """Reads products and orders from the SQL database."""

    def __init__(self, db):
        self.db = db

    def all(self):
        rows = self.db.execute("SELECT id, name, price, description FROM products")
        return [Product(**row) for row in rows]

    def page(self, number, size=50):
        rows = self.db.execute(
            "SELECT id, name, price, description FROM products ORDER BY id LIMIT %s OFFSET %s",
            (size, number * size),
        )
        return [Product(**row) for row in rows]

    def get(self, product_id):
        row = self.db.execute_one(
            "SELECT id, name, price, description FROM products WHERE id = %s", (product_id,)
        )
        return Product(**row) if row else None

    def recent_orders(self, user_id, limit=50):
        rows = self.db.execute(
            "SELECT id, user_id, product_ids, status FROM orders"
            " WHERE user_id = %s ORDER BY id DESC LIMIT %s",
            (user_id, limit),
        )
        return [Order(**row) for row in rows]

    def order(self, order_id):
        row = self.db.execute_one(
            "SELECT id, user_id, product_ids, status FROM orders WHERE id = %s", (order_id,)
        )
        return Order(**row) if row else None

    def set(self, product_id, **changes):
        self.db.update("products", product_id, changes)


class Database:
    """A thin wrapper over one PostgreSQL connection."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    def execute_one(self, sql, params=()):
        return self.conn.execute(sql, params).fetchone()

    def update(self, table, row_id, changes):
        columns = ", ".join(f"{name} = %s" for name in changes)
        self.conn.execute(
            f"UPDATE {table} SET {columns} WHERE id = %s", (*changes.values(), row_id)
        )


def connect():
    return Database(psycopg.connect(os.environ["DATABASE_URL"], row_factory=dict_row))
