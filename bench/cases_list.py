"""Issue 3 bars, with 100,000 cases in PostgreSQL, in one run:
(a) case list API (50 a page, two filters, an officer of one agency) against
    the raw SQL of the same page through psycopg serialised with orjson:
    p50 ratio <= 4;
(b) the scoped list against the same list filtered only by agency_id:
    ratio <= 2;
(c) queries per list request equal for page size 1 and 50."""

import random
from datetime import timedelta
from decimal import Decimal

from .common import Verdicts, ms, p, timed

TOTAL = 100_000
FILTERS = {"status": "investigating", "ip_type": "trademark"}


def seed(total: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from agencies.models import Agency
    from agencies.seed.load import seed_agencies
    from casehub import access
    from casehub.models import Case, CaseGroupObjectPermission
    from casehub.rules.workflow import Status
    from tests.factories import member

    if Case.objects.count() >= total:
        return
    print(f"seeding {total:,} cases (once; kept for later runs)…", flush=True)
    seed_agencies()
    agencies = list(Agency.objects.filter(kind__in=["market_supervision", "police", "culture_tourism", "customs"]))
    officers = {}
    for agency in agencies:
        officers[agency.pk] = member(agency, "officer", username=f"bench-{agency.code.lower()}")
        member(agency, "officer", username=f"bench2-{agency.code.lower()}")
    rng = random.Random(3)
    statuses = [s for s in Status.values]
    ip_types = ["trademark", "trademark", "copyright", "invention_patent", "design_patent", "geographical_indication"]
    permission = access._view_case_permission_id()
    today = timezone.localdate()
    existing = Case.objects.count()
    batch = 5000
    for start in range(existing, total, batch):
        with transaction.atomic():
            rows = []
            for i in range(start, min(start + batch, total)):
                agency = agencies[i % len(agencies)]
                lead = today - timedelta(days=rng.randint(0, 700))
                rows.append(Case(
                    number=f"BENCH〔{lead.year}〕{i}号", title=f"基准测试案件{i}：销售侵犯注册商标专用权商品案",
                    ip_type=rng.choice(ip_types), kind="administrative_penalty", source="inspection",
                    owning_agency=agency, lead_officer=officers[agency.pk], region_id=agency.region_id,
                    facts="执法人员现场检查发现涉嫌侵权商品。" * 3, amount_involved=Decimal(rng.randint(1000, 900000)),
                    status=rng.choice(statuses), lead_received_on=lead,
                    filed_on=lead + timedelta(days=3), next_deadline="decision",
                    next_deadline_on=lead + timedelta(days=95),
                ))
            created = Case.objects.bulk_create(rows)
            # Owners see their cases by owning_agency_id; grants are for the
            # agencies a case was shared with: a sprinkling, as transfers make.
            grants = [CaseGroupObjectPermission(content_object=c, group_id=agencies[(i * 7 + 3) % len(agencies)].group_id,
                                                 permission_id=permission)
                       for i, c in enumerate(created) if i % 25 == 0 and agencies[(i * 7 + 3) % len(agencies)].group_id != c.owning_agency.group_id]
            CaseGroupObjectPermission.objects.bulk_create(grants, ignore_conflicts=True)
        print(f"  {min(start + batch, total):,}", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


RAW_SQL = """
SELECT c.id, c.number, c.title, c.status, c.ip_type, c.kind, c.source, c.campaign,
       a.id, a.code, a.name, c.region_id, c.amount_involved, c.lead_received_on, c.filed_on,
       c.decision_date, c.next_deadline, c.next_deadline_on, c.deadline_warning, c.version, c.updated_at
FROM casehub_case c JOIN agencies_agency a ON a.id = c.owning_agency_id
WHERE c.owning_agency_id = %s AND c.status = %s AND c.ip_type = %s
ORDER BY c.id DESC LIMIT %s
"""


def run(verdicts: Verdicts, runs: int = 200) -> None:
    import orjson
    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import User
    from casehub import access
    from casehub.models import Case

    seed(TOTAL)
    officer = User.objects.get(username="bench-420500-scjg")
    agency_id = officer.memberships.get().agency_id
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    url = "/api/v1/cases/"

    def api_page(size=50):
        response = client.get(url, {**FILTERS, "page_size": size}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content[:300]
        return response

    assert len(api_page().json()["results"]) == 50
    db = settings.DATABASES["default"]
    raw = psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, dbname=db["NAME"], user=db["USER"] or None,
                          password=db["PASSWORD"] or None)

    def raw_page():
        rows = raw.execute(RAW_SQL, [agency_id, FILTERS["status"], FILTERS["ip_type"], 51]).fetchall()
        return orjson.dumps([
            {"id": r[0], "number": r[1], "title": r[2], "status": r[3], "ip_type": r[4], "kind": r[5], "source": r[6],
             "campaign": r[7], "owning_agency": {"id": r[8], "code": r[9], "name": r[10]}, "region": r[11],
             "amount_involved": str(r[12]), "lead_received_on": r[13], "filed_on": r[14], "decision_date": r[15],
             "next_deadline": {"name": r[16], "due_on": r[17], "warning": r[18]}, "version": r[19], "updated_at": r[20]}
            for r in rows[:50]
        ])

    print(f"\n[cases list] {Case.objects.count():,} cases; officer of agency {agency_id}; filters {FILTERS}; "
          f"{runs} requests each")
    api = timed(api_page, runs=runs)
    base = timed(raw_page, runs=runs)
    print(f"  API     p50 {ms(p(api, .5))}  p95 {ms(p(api, .95))}")
    print(f"  raw SQL p50 {ms(p(base, .5))}  p95 {ms(p(base, .95))}")
    verdicts.check("(a) list API p50 / raw SQL+orjson p50", p(api, .5) / p(base, .5), "<= 4", p(api, .5) / p(base, .5) <= 4)

    def base():
        return Case.objects.filter(**FILTERS).select_related("owning_agency")

    def scoped_page():
        return access.visible_cases_for_listing(officer, base()).order_by("-id")[0:51]

    def plain_page():
        return list(base().filter(owning_agency_id=agency_id).order_by("-id")[:51])

    scoped = timed(scoped_page, runs=runs)
    plain = timed(plain_page, runs=runs)
    owned_ids = {c.pk for c in plain_page()}
    scoped_ids = {c.pk for c in scoped_page()}
    assert len(scoped_ids) == 51 and len(owned_ids & scoped_ids) >= 40
    print(f"  scoped page p50 {ms(p(scoped, .5))}   agency_id page p50 {ms(p(plain, .5))}")
    verdicts.check("(b) scoped list / agency_id-filtered list (p50)", p(scoped, .5) / p(plain, .5), "<= 2",
                   p(scoped, .5) / p(plain, .5) <= 2)

    counts = {}
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            api_page(size)
        counts[size] = len(queries)
    print(f"  queries per request: page size 1 → {counts[1]}, page size 50 → {counts[50]}")
    verdicts.check("(c) queries at page size 50 minus page size 1", counts[50] - counts[1], "== 0", counts[1] == counts[50])
    raw.close()
