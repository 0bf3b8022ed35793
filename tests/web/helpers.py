"""What every web UI test needs: signed-in browsers of the test client, and
query counts held equal at 1 and 50 rows."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_for(client: Client, url: str, **headers) -> tuple[int, object]:
    """(queries run, response) for one GET; the response must be a 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response


def assert_constant_queries(client: Client, url: str, grow, **headers) -> int:
    """The page at `url` costs as many queries with 50 rows as with 1:
    `grow(n)` makes the page show n rows in all. Returns the count."""
    grow(1)
    client.get(url, **headers)  # warm per-process caches (permission ids, calendar)
    one, _ = queries_for(client, url, **headers)
    grow(50)
    fifty, _ = queries_for(client, url, **headers)
    assert one == fifty, f"{url}: {one} queries for 1 row, {fifty} for 50"
    return one
