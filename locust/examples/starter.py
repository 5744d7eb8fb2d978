"""A starting point for a loadctl load test: one kind of user browsing a product list.

Try it as it is against the built-in demo API (loadctl.yaml's host points there):
    loadctl demo-target          # in another terminal: the demo Products API on port 8000
    loadctl run                  # script, host, users and duration come from loadctl.yaml
Then point host: in loadctl.yaml at your service and change the paths below.
The host comes from --host (or the test's targetUrl), so paths below start with "/".
Locust's guide to writing scripts: https://docs.locust.io/en/stable/writing-a-locustfile.html
"""

from locust import HttpUser, between, task


class WebsiteUser(HttpUser):
    # Each simulated user waits 1 to 3 seconds between tasks, like a person reading a page.
    wait_time = between(1, 3)

    # A task is one thing a user does; add more methods with @task, and give common ones
    # a higher weight, e.g. @task(3), to run them three times as often.
    @task(3)
    def list_products(self):
        self.client.get("/api/products")

    # URLs with ids in them: name= groups them into one row of the statistics, not one per id.
    @task
    def view_product(self):
        self.client.get("/api/products/1", name="/api/products/[id]")
