"""Issue 12 bars, with 100,000 cases in PostgreSQL, in one run, each page
measured against the API serving the same data to the same officer
(a real session, loaded on every request), alternately request by request:
(a) the web case list page (/cases/, 50 rows, two filters) against the API's
    list with the same filters: p50 ratio <= 2;
(b) the web case page (/cases/<id>/) against the API's detail of the same
    case: p50 ratio <= 2;
(c) queries per list page equal for 1 and 50 rows."""

import re

from .cases_list import FILTERS, TOTAL, seed
from .common import Verdicts, ms, p, timed_pair


def run(verdicts: Verdicts, runs: int = 200) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from agencies.models import User
    from casehub.models import Case

    seed(TOTAL)
    officer = User.objects.get(username="bench-420500-scjg")
    agency_id = officer.memberships.get().agency_id
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)

    def get(url, params=None, **headers):
        response = client.get(url, params or {}, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    list_url, api_list = reverse("web:case-list"), "/api/v1/cases/"

    def web_list(size=50):
        return get(list_url, {**FILTERS, "page_size": size})

    def api_list_page(size=50):
        return get(api_list, {**FILTERS, "page_size": size}, HTTP_ACCEPT="application/json")

    # The same page: the same cases in the same order (each row links to its case page).
    link = re.compile(r'href="' + re.escape(reverse("web:case", args=[0])).replace("0", r"(\d+)", 1) + '"')
    web_ids = [int(i) for i in link.findall(web_list().content.decode())]
    api_ids = [r["id"] for r in api_list_page().json()["results"]]
    assert web_ids == api_ids and len(web_ids) == 50, (web_ids, api_ids)
    case_id = web_ids[0]
    case_url, api_detail = reverse("web:case", args=[case_id]), f"/api/v1/cases/{case_id}/"

    def web_case():
        return get(case_url)

    def api_case():
        return get(api_detail, HTTP_ACCEPT="application/json")

    print(f"\n[web] {Case.objects.count():,} cases; officer of agency {agency_id} (session login); "
          f"list filters {FILTERS}, 50 a page; case {case_id}; {runs} requests each, alternating")
    web, api = timed_pair(web_list, api_list_page, runs=runs)
    print(f"  web case list page  p50 {ms(p(web, .5))}  p95 {ms(p(web, .95))}")
    print(f"  API case list       p50 {ms(p(api, .5))}  p95 {ms(p(api, .95))}")
    verdicts.check("(a) web list page p50 / API list p50", p(web, .5) / p(api, .5), "<= 2", p(web, .5) / p(api, .5) <= 2)
    # For reference: the rows alone, as HTMX asks for them when a filter
    # changes (no frame, no filter bar), against the same API page.
    rows, api_again = timed_pair(lambda: get(list_url, {**FILTERS, "page_size": 50}, HTTP_HX_REQUEST="true"),
                                 api_list_page, runs=runs)
    print(f"  (reference: the rows fragment (HTMX) p50 {ms(p(rows, .5))} against the API's {ms(p(api_again, .5))}: "
          f"ratio {p(rows, .5) / p(api_again, .5):.2f})")

    page, detail = timed_pair(web_case, api_case, runs=runs)
    print(f"  web case page       p50 {ms(p(page, .5))}  p95 {ms(p(page, .95))}")
    print(f"  API case detail     p50 {ms(p(detail, .5))}  p95 {ms(p(detail, .95))}")
    verdicts.check("(b) web case page p50 / API detail p50", p(page, .5) / p(detail, .5), "<= 2",
                   p(page, .5) / p(detail, .5) <= 2)

    counts = {}
    web_list()  # the session's activity is written at most once a minute: not on a counted request
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            web_list(size)
        counts[size] = len(queries)
    print(f"  queries per list page: 1 row → {counts[1]}, 50 rows → {counts[50]}")
    verdicts.check("(c) list page queries at 50 rows minus at 1 row", counts[50] - counts[1], "== 0",
                   counts[1] == counts[50])
