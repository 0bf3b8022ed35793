"""Issue 4: 1,000 transfers proposed, approved, sent and accepted through
the API in one run: median and p95 per step, and queries per request (which
must not vary within a step)."""

import collections
from decimal import Decimal

from .common import Verdicts, ms, p

COUNT = 1000
MATERIALS = [
    {"kind": "transfer_letter", "title": "涉嫌犯罪案件移送书"},
    {"kind": "investigation_report", "title": "涉嫌犯罪案件情况的调查报告"},
    {"kind": "seized_items_list", "title": "涉案物品清单"},
    {"kind": "appraisal_report", "title": "鉴定意见"},
]


def _cast():
    from agencies.models import Agency, ApiToken, User
    from agencies.roles import Role
    from tests.factories import member

    market, police = Agency.objects.get(code="420500-SCJG"), Agency.objects.get(code="420500-GA")
    people = {}
    for name, agency, role in [("officer", market, Role.OFFICER), ("head", market, Role.HEAD),
                               ("liaison", market, Role.LIAISON), ("police", police, Role.LIAISON)]:
        username = f"bench-transfer-{name}"
        user = User.objects.filter(username=username).first() or member(agency, role, username=username)
        _, key = ApiToken.issue(user=user, name="bench")
        people[name] = key
    return market, police, people


def _fresh_cases(market, count):
    from django.utils import timezone

    from agencies.models import User
    from casehub.models import Case

    officer = User.objects.get(username="bench-transfer-officer")
    start = Case.objects.count()
    rows = [Case(number=f"BENCH-T〔2026〕{start + i}号", title=f"移送基准案件{i}", ip_type="trademark",
                 kind="administrative_penalty", source="inspection", owning_agency=market, lead_officer=officer,
                 region_id=market.region_id, status="investigating", lead_received_on=timezone.localdate(),
                 filed_on=timezone.localdate(), amount_involved=Decimal("200000"))
            for i in range(count)]
    return [c.pk for c in Case.objects.bulk_create(rows)]


def run(verdicts: Verdicts, count: int = COUNT) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from django.conf import settings

    # A token's last-used time is written at most once a minute: a real but
    # periodic extra UPDATE, held off here so per-request counts compare.
    settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 24 * 3600
    market, police, keys = _cast()
    clients = {name: Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}") for name, key in keys.items()}
    case_ids = _fresh_cases(market, count + 1)
    timings = {s: [] for s in ("propose", "approve", "send", "accept")}
    queries = {s: collections.Counter() for s in timings}

    def call(step, client, path, payload):
        import time

        connection.queries_log.clear()  # the log is a bounded deque: counts go wrong once it is full
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(path, payload, content_type="application/json", HTTP_ACCEPT="application/json")
            timings[step].append(time.perf_counter() - start)
        assert response.status_code in (200, 201), (step, response.status_code, response.content[:300])
        queries[step][len(captured)] += 1
        return response.json()

    print(f"\n[transfers] {count} suspected-crime transfers, market supervision → police, through the API "
          f"(one more first, unmeasured, to fill caches; token last-used writes held off)")
    for n, case_id in enumerate(case_ids):
        if n == 1:  # the first transfer warmed the caches
            for step in timings:
                timings[step].clear()
                queries[step].clear()
        transfer = call("propose", clients["officer"], f"/api/v1/cases/{case_id}/transfers/",
                        {"kind": "suspected_crime", "to_agency": police.pk, "reason": "涉嫌犯罪", "materials": MATERIALS})
        tid = transfer["id"]
        call("approve", clients["head"], f"/api/v1/transfers/{tid}/steps/", {"step": "approve"})
        call("send", clients["liaison"], f"/api/v1/transfers/{tid}/steps/", {"step": "send"})
        call("accept", clients["police"], f"/api/v1/transfers/{tid}/steps/",
             {"step": "accept", "receiver_case_number": f"宜公(经)立字〔2026〕{tid}号"})
    for step, samples in timings.items():
        counts = dict(sorted(queries[step].items()))
        print(f"  {step:8} p50 {ms(p(samples, .5))}  p95 {ms(p(samples, .95))}  queries per request {counts}")
        verdicts.check(f"transfers: distinct query counts for {step}", len(counts), "== 1", len(counts) == 1)
