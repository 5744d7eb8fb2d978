"""A starting point for a loadctl load test: one kind of user fetching one page.

Run it with:  loadctl run --script locustfile.py --host https://your-service --users 5 --duration 30
The host comes from --host (or the test's targetUrl), so paths below start with "/".
Locust's guide to writing scripts: https://docs.locust.io/en/stable/writing-a-locustfile.html
"""

from locust import HttpUser, between, task


class WebsiteUser(HttpUser):
    # Each simulated user waits 1 to 3 seconds between tasks, like a person reading a page.
    wait_time = between(1, 3)

    # A task is one thing a user does; add more methods with @task, and give common ones
    # a higher weight, e.g. @task(3), to run them three times as often.
    @task
    def home_page(self):
        self.client.get("/")
