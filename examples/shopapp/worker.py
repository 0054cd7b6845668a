"""Background worker: takes jobs from the Redis list "jobs" and runs them.

Run with `python -m shopapp.worker`.
"""
import json
import logging
import queue
import threading

from .cache import cache_catalog_page, redis_client
from .models import Catalog, connect

log = logging.getLogger("shopapp.worker")

JOB_QUEUE = "jobs"
PRICE_BUCKET = 500  # product ids per price hash (at most 512 fields each)


# --- jobs -----------------------------------------------------------------------


def rebuild_price_index(catalog):
    for product in catalog.all():
        redis_client.hset("prices:all", str(product.id), str(product.price))


def rebuild_price_buckets(catalog):
    with redis_client.pipeline(transaction=False) as pipe:
        for product in catalog.all():
            pipe.hset(f"prices:{product.id // PRICE_BUCKET}", str(product.id), str(product.price))
        pipe.execute()


def rebuild_name_index(catalog):
    redis_client.hset("products:names", mapping={str(p.id): p.name for p in catalog.all()})


def refresh_product(catalog, product_id):
    product = catalog.get(product_id)
    if product is None:
        return
    redis_client.hset(
        f"product:{product.id}",
        mapping={"name": product.name, "price": str(product.price)},
    )


def record_purchase(catalog, order_id):
    order = catalog.order(order_id)
    with redis_client.pipeline(transaction=False) as pipe:
        for product_id in order.product_ids:
            pipe.sadd(f"product:{product_id}:buyer_ids", order.user_id)
        pipe.sadd(f"user:{order.user_id}:order_ids", order.id)
        pipe.execute()


def follow_brand(user_id, brand_id):
    redis_client.sadd(f"brand:{brand_id}:followers", f"user:{user_id}")


def unfollow_brand(user_id, brand_id):
    redis_client.srem(f"brand:{brand_id}:followers", f"user:{user_id}")


def tag_product(product_id, tags):
    redis_client.sadd(f"product:{product_id}:tags", *[f"tag:{t}" for t in tags])


def warm_catalog(catalog, pages=5):
    for number in range(pages):
        cache_catalog_page(number, catalog.page(number))


HANDLERS = {
    "reindex_prices": lambda catalog, job: rebuild_price_buckets(catalog),
    "reindex_prices_v1": lambda catalog, job: rebuild_price_index(catalog),
    "reindex_names": lambda catalog, job: rebuild_name_index(catalog),
    "refresh_product": lambda catalog, job: refresh_product(catalog, job["product_id"]),
    "order_paid": lambda catalog, job: record_purchase(catalog, job["order_id"]),
    "brand_followed": lambda catalog, job: follow_brand(job["user_id"], job["brand_id"]),
    "brand_unfollowed": lambda catalog, job: unfollow_brand(job["user_id"], job["brand_id"]),
    "product_tagged": lambda catalog, job: tag_product(job["product_id"], job["tags"]),
    "warm_catalog": lambda catalog, job: warm_catalog(catalog),
}


# --- main loop --------------------------------------------------------------------


class Worker:
    """Moves jobs from Redis to a local queue; a thread pool runs them."""

    def __init__(self, catalog, threads=4):
        self.catalog = catalog
        self.local = queue.Queue(maxsize=100)
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run_jobs, daemon=True) for _ in range(threads)]

    def fetch_jobs(self):
        while not self.stopping.is_set():
            item = redis_client.blpop([JOB_QUEUE], timeout=2)
            if item is None:
                continue
            _, payload = item
            self.local.put(json.loads(payload))

    def run_jobs(self):
        while not self.stopping.is_set():
            try:
                job = self.local.get(timeout=1)
            except queue.Empty:
                continue
            handler = HANDLERS.get(job["type"])
            if handler is None:
                log.warning("unknown job type %s (known: %s)", job["type"], sorted(HANDLERS.keys()))
            else:
                handler(self.catalog, job)
            self.local.task_done()

    def start(self):
        for t in self.threads:
            t.start()
        self.fetch_jobs()


def main():
    logging.basicConfig(level=logging.INFO)
    Worker(Catalog(connect())).start()


if __name__ == "__main__":
    main()
