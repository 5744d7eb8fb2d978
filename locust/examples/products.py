"""Load test for the demo Products API.

Browsing is the common path: users list products, open one, search now and then, and
sometimes add a product to their cart. Dynamic URLs are grouped under one name
("/api/products/[id]") so the statistics show one row per endpoint, not one per id.

loadctl injects its plugin when the script is uploaded: keep this file plain Locust.
"""

import random

from locust import HttpUser, between, task

# The demo catalogue has products 1..20; these terms all match some of them.
PRODUCT_IDS = range(1, 21)
SEARCH_TERMS = ["lamp", "coffee", "desk", "knife", "usb", "tent"]


class Shopper(HttpUser):
    wait_time = between(0.5, 1.5)

    @task(5)
    def list_products(self):
        self.client.get("/api/products", name="/api/products")

    @task(3)
    def view_product(self):
        product_id = random.choice(PRODUCT_IDS)
        self.client.get(f"/api/products/{product_id}", name="/api/products/[id]")

    @task(2)
    def search(self):
        self.client.get("/api/search", params={"q": random.choice(SEARCH_TERMS)}, name="/api/search")

    @task(1)
    def add_to_cart(self):
        payload = {"productId": random.choice(PRODUCT_IDS), "quantity": 1}
        self.client.post("/api/cart/items", json=payload, name="/api/cart/items")
