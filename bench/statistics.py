"""Issue 13 bars for the statistics, with 100,000 cases in PostgreSQL (and
their transfers, assistance requests, respondents and disclosure records),
in one run:
(a) each /api/v1/statistics/<table>/ p95 <= 300 ms with a cold cache —
    nothing is cached between requests: each request loads its session and
    the user's memberships anew, and no figure is ever cached — for the
    platform administrator (every case) and for the city bureau's head (its
    own and its subordinate bureaus' cases); each printed against a raw-SQL
    baseline of the same aggregate through psycopg (serialised with orjson),
    measured alternately in the same run;
(b) each endpoint's queries equal at two data sizes (100,000 cases and,
    inside a transaction rolled back, 20,000 more).
For reference: the dashboard page (every table) and the XLSX report."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from .common import Verdicts, ms, p, timed_pair

TOTAL = 100_000
BAR_SECONDS = 0.300
CAMPAIGNS = ["", "", "", "铁拳", "剑网", "龙腾", "蓝天", "昆仑"]
IP_TYPES = ["trademark", "trademark", "copyright", "invention_patent", "design_patent", "geographical_indication",
            "utility_model"]
KINDS = ["administrative_penalty"] * 6 + ["patent_adjudication", "mediation"]
STATUSES = ["lead", "not_filed", "filed", "investigating", "under_review", "decided", "executing", "closed",
            "suspended", "withdrawn"]
DECIDED = {"decided", "executing", "closed"}
TRANSFER_STATUSES = ["proposed", "approved", "sent", "accepted", "accepted", "accepted", "refused", "reconsideration",
                     "refusal_upheld", "returned", "withdrawn", "rejected"]


def _users():
    from agencies.models import Agency, User
    from tests.factories import member

    city = Agency.objects.get(code="420500-SCJG")
    head = User.objects.filter(username="bench-stats-head").first() or member(city, "head", username="bench-stats-head")
    officer = (User.objects.filter(username="bench-stats-officer").first()
               or member(city, "officer", username="bench-stats-officer"))
    admin = User.objects.filter(username="bench-stats-admin").first()
    if admin is None:
        admin = User.objects.create_user(username="bench-stats-admin", password=None, is_superuser=True, is_staff=True)
    return head, officer, admin


def _case_rows(start, stop, agencies, officers, rng, today):
    from casehub.models import Case

    rows = []
    for i in range(start, stop):
        agency = agencies[i % len(agencies)]
        lead = today - timedelta(days=rng.randint(0, 700))
        status = rng.choice(STATUSES)
        filed = lead + timedelta(days=rng.randint(1, 30)) if status not in ("lead", "not_filed") else None
        decided = filed + timedelta(days=rng.randint(20, 120)) if filed and status in DECIDED else None
        running = status in ("lead", "filed", "investigating", "under_review", "suspended")
        penalty = decided is not None and rng.random() < 0.8
        rows.append(Case(
            number=f"STAT〔{lead.year}〕{i}号", title=f"统计基准案件{i}", ip_type=rng.choice(IP_TYPES),
            kind=rng.choice(KINDS), source="inspection", owning_agency_id=agency.pk, lead_officer_id=officers[agency.pk],
            region_id=agency.region_id, facts="执法人员现场检查发现涉嫌侵权商品。", campaign=rng.choice(CAMPAIGNS),
            amount_involved=Decimal(rng.randint(1000, 900000)), status=status, lead_received_on=lead, filed_on=filed,
            filing_due_on=lead + timedelta(days=21), decision_date=decided,
            decision_due_on=filed + timedelta(days=90) if filed else None,
            outcome="penalty" if penalty else ("no_penalty" if decided else ""),
            fine_amount=Decimal(rng.randint(1, 200) * 1000) if penalty else None,
            confiscated_amount=Decimal(rng.randint(0, 50) * 100) if penalty else None,
            closed_on=decided + timedelta(days=10) if status == "closed" else None,
            next_deadline=("filing" if status == "lead" else "decision") if running else "",
            next_deadline_on=(lead + timedelta(days=21) if status == "lead" else (filed or lead) + timedelta(days=90))
            if running else None,
        ))
    return rows


def seed(total: int, *, prefix="STAT", existing_check=True) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from agencies.models import Agency
    from agencies.seed.load import seed_agencies
    from casehub.models import AssistanceRequest, Case, Party, Transfer
    from disclosure.models import DisclosureRecord
    from tests.factories import member

    if existing_check and Case.objects.count() >= total:
        return
    print(f"seeding {total:,} cases with transfers, assistance, parties and disclosures (once; kept)…", flush=True)
    seed_agencies()
    agencies = list(Agency.objects.filter(kind__in=["market_supervision", "culture_tourism", "customs", "copyright"]))
    police = {a.region_id: a for a in Agency.objects.filter(kind="police")}
    city_police = Agency.objects.get(code="420500-GA")
    procuratorate = Agency.objects.get(code="420500-JCY")
    officers = {}
    for agency in agencies:
        user = member(agency, "officer", username=f"stat-{agency.code.lower()}")
        officers[agency.pk] = user.pk
    rng = random.Random(13)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    codes = [f"91420500MA{n:08d}" for n in range(30_000)]
    batch = 5000
    existing = Case.objects.count()
    for start in range(existing, total, batch):
        with transaction.atomic():
            cases = Case.objects.bulk_create(_case_rows(start, min(start + batch, total), agencies, officers, rng, today))
            parties = Party.objects.bulk_create([
                Party(case_id=c.pk, role="respondent", kind="enterprise", name=f"某商贸有限公司{n % 30_000}",
                      credit_code=codes[n % 30_000])
                for c in cases for n in [rng.randint(0, 10**9)]])
            transfers, asks, records = [], [], []
            for case, party in zip(cases, parties, strict=True):
                moment = datetime.combine(case.lead_received_on, time(10), tzinfo=zone)
                if rng.random() < 0.1:
                    status = rng.choice(TRANSFER_STATUSES)
                    sent = moment + timedelta(days=2) if status not in ("proposed", "approved", "rejected") else None
                    decided = moment + timedelta(days=rng.randint(3, 20)) if status in (
                        "accepted", "refused", "reconsideration", "refusal_upheld", "returned") else None
                    transfers.append(Transfer(
                        case_id=case.pk, kind="suspected_crime" if rng.random() < 0.7 else "jurisdiction",
                        from_agency_id=case.owning_agency_id, to_agency=police.get(case.region_id, city_police),
                        supervising_agency=procuratorate, status=status, reason="涉嫌犯罪",
                        proposed_by_id=case.lead_officer_id, proposed_at=moment, sent_at=sent, decided_at=decided,
                        handed_over_at=decided + timedelta(days=rng.randint(1, 6)) if status == "accepted" else None,
                        due_at=moment + timedelta(days=3) if status in ("proposed", "sent", "refused") else None))
                if rng.random() < 0.1:
                    status = rng.choice(["open", "answered", "answered", "declined"])
                    asked = moment + timedelta(days=1)
                    answered = asked + timedelta(days=rng.randint(1, 15)) if status == "answered" else None
                    due = case.lead_received_on + timedelta(days=10)
                    asks.append(AssistanceRequest(
                        case_id=case.pk, from_agency_id=case.owning_agency_id, to_agency=city_police, subject="核查",
                        details="核查", due_on=due, status=status, requested_by_id=case.lead_officer_id,
                        requested_at=asked, answered_at=answered,
                        answered_late=bool(answered and answered.date() > due)))
                if case.outcome == "penalty":
                    due = case.decision_date + timedelta(days=28)
                    published = case.decision_date + timedelta(days=rng.randint(1, 40)) if rng.random() < 0.9 else None
                    records.append(DisclosureRecord(
                        case_id=case.pk, agency_id=case.owning_agency_id, party_id=party.pk, party_kind="enterprise",
                        party_name=party.name, credit_code=party.credit_code, decision_number=f"罚{case.pk}",
                        decision_date=case.decision_date, ip_type=case.ip_type, violation_type="商标侵权",
                        due_on=due, published_on=published, status="published" if published else "pending",
                        late=bool(published and published > due)))
            Transfer.objects.bulk_create(transfers)
            AssistanceRequest.objects.bulk_create(asks)
            DisclosureRecord.objects.bulk_create(records)
        print(f"  {min(start + batch, total):,}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def vacuum() -> None:
    """What autovacuum keeps true of a live database, and a bulk load has
    not had yet: the statistics and the visibility map that index-only
    scans rely on (migration 0016's covering indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("casehub_case", "casehub_party", "casehub_transfer", "casehub_assistancerequest",
                      "disclosure_disclosurerecord"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


# The raw baselines: each table's aggregate for every case (the platform's
# scope), written by hand. %(start)s/%(end)s: the year's dates;
# %(start_at)s/%(end_at)s: its local midnights; %(today)s, %(now)s.
YEAR_CASES = "lead_received_on >= %(start)s AND lead_received_on < %(end)s"
RAW = {
    **{f"cases_by_{name}": f"SELECT {column}, count(*) FROM casehub_case WHERE {YEAR_CASES} GROUP BY {column}"
       for name, column in (("status", "status"), ("ip_type", "ip_type"), ("kind", "kind"),
                            ("campaign", "campaign"))},
    "cases_by_region": f"""SELECT c.region_id, r.name, c.n FROM (SELECT region_id, count(*) n FROM casehub_case
        WHERE {YEAR_CASES} GROUP BY region_id) c JOIN agencies_region r ON r.code = c.region_id ORDER BY 1""",
    "cases_by_month": " UNION ALL ".join(
        f"SELECT '{key}', extract(month FROM {column}), count(*) FROM casehub_case "
        f"WHERE {column} >= %(start)s AND {column} < %(end)s GROUP BY 2"
        for key, column in (("leads", "lead_received_on"), ("filed", "filed_on"), ("decided", "decision_date"),
                            ("closed", "closed_on"))),
    "timeliness": """SELECT 'filing', count(*), count(*) FILTER (WHERE filed_on <= filing_due_on) FROM casehub_case
        WHERE filed_on >= %(start)s AND filed_on < %(end)s AND filing_due_on IS NOT NULL
        UNION ALL SELECT 'decision', count(*), count(*) FILTER (WHERE decision_date <= decision_due_on) FROM casehub_case
        WHERE decision_date >= %(start)s AND decision_date < %(end)s AND decision_due_on IS NOT NULL""",
    "overdue_now": """SELECT (SELECT count(*) FROM casehub_case WHERE status IN ('lead', 'filed', 'investigating',
        'under_review', 'suspended') AND next_deadline_on < %(today)s),
        (SELECT count(*) FROM casehub_transfer WHERE due_at < %(now)s),
        (SELECT count(*) FROM casehub_assistancerequest WHERE status = 'open' AND due_on < %(today)s)""",
    "publication_timeliness": """SELECT count(*), count(*) FILTER (WHERE published_on IS NOT NULL),
        count(*) FILTER (WHERE published_on <= due_on), count(*) FILTER (WHERE status = 'pending' AND due_on >= %(today)s),
        count(*) FILTER (WHERE status = 'pending' AND due_on < %(today)s)
        FROM disclosure_disclosurerecord WHERE decision_date >= %(start)s AND decision_date < %(end)s""",
    "transfers_by_kind_step": """SELECT kind, status, count(*) FROM casehub_transfer
        WHERE proposed_at >= %(start_at)s AND proposed_at < %(end_at)s GROUP BY kind, status""",
    "transfers_to_police": """SELECT count(*) FILTER (WHERE sent_at IS NOT NULL),
        count(*) FILTER (WHERE status IN ('accepted', 'refused', 'reconsideration', 'refusal_upheld') AND decided_at IS NOT NULL),
        count(*) FILTER (WHERE status IN ('refused', 'reconsideration', 'refusal_upheld')),
        count(*) FILTER (WHERE status IN ('reconsideration', 'refusal_upheld')),
        count(*) FILTER (WHERE status = 'accepted' AND handed_over_at IS NOT NULL),
        count(*) FILTER (WHERE status = 'accepted' AND handed_over_at <= decided_at + interval '3 days'),
        avg(decided_at - proposed_at) FILTER (WHERE status IN ('accepted', 'refused', 'reconsideration', 'refusal_upheld')),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - proposed_at))
          FILTER (WHERE status IN ('accepted', 'refused', 'reconsideration', 'refusal_upheld') AND decided_at IS NOT NULL)
        FROM casehub_transfer WHERE kind = 'suspected_crime' AND proposed_at >= %(start_at)s AND proposed_at < %(end_at)s""",
    "assistance_response": """SELECT count(*), count(*) FILTER (WHERE status = 'answered'),
        count(*) FILTER (WHERE status = 'answered' AND answered_late), count(*) FILTER (WHERE status = 'declined'),
        count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'open' AND due_on < %(today)s),
        avg(answered_at - requested_at) FILTER (WHERE status = 'answered'),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - requested_at))
          FILTER (WHERE status = 'answered' AND answered_at IS NOT NULL)
        FROM casehub_assistancerequest WHERE requested_at >= %(start_at)s AND requested_at < %(end_at)s""",
    "penalties_by_ip_type": """SELECT ip_type, count(*), sum(fine_amount), sum(confiscated_amount) FROM casehub_case
        WHERE decision_date >= %(start)s AND decision_date < %(end)s AND outcome = 'penalty' GROUP BY ip_type""",
    "repeat_infringers": f"""WITH top AS (SELECT d.credit_code, count(*) n FROM (SELECT DISTINCT credit_code, case_id
        FROM casehub_party WHERE role = 'respondent' AND credit_code <> '' AND case_id IN (SELECT id FROM casehub_case
        WHERE {YEAR_CASES})) d GROUP BY d.credit_code HAVING count(*) >= 2 ORDER BY n DESC, d.credit_code LIMIT 100)
        SELECT t.credit_code, t.n, (SELECT max(p.name) FROM casehub_party p WHERE p.credit_code = t.credit_code)
        FROM top t ORDER BY t.n DESC, t.credit_code""",
    "plan_indicators": """SELECT (SELECT count(*) FROM casehub_case WHERE kind = 'administrative_penalty'
          AND filed_on >= %(start)s AND filed_on < %(end)s),
        (SELECT count(*) FROM casehub_transfer WHERE kind = 'suspected_crime' AND sent_at >= %(start_at)s
          AND sent_at < %(end_at)s),
        (SELECT count(*) FILTER (WHERE published_on <= due_on) FROM disclosure_disclosurerecord
          WHERE decision_date >= %(start)s AND decision_date < %(end)s),
        (SELECT json_agg(t) FROM casehub_indicatortarget t WHERE year = %(year)s)""",
}


def run(verdicts: Verdicts, runs: int = 200) -> None:
    import orjson
    import psycopg
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from agencies.models import Agency
    from casehub import access, statistics
    from casehub.models import Case

    seed(TOTAL)
    vacuum()
    head, officer, admin = _users()
    year = timezone.localdate().year
    zone = timezone.get_current_timezone()
    params = {"start": date(year, 1, 1), "end": date(year + 1, 1, 1), "year": year,
              "start_at": datetime(year, 1, 1, tzinfo=zone), "end_at": datetime(year + 1, 1, 1, tzinfo=zone),
              "today": timezone.localdate(), "now": timezone.now()}
    names = [d.name for d in statistics.tables()]
    assert set(names) == set(RAW), set(names) ^ set(RAW)
    database = settings.DATABASES["default"]
    raw = psycopg.connect(host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432,
                          user=database["USER"], password=database["PASSWORD"] or None, dbname=database["NAME"],
                          autocommit=True)
    scope = access.statistics_scope(head)
    clients = {}
    for label, user in (("platform", admin), ("city head", head), ("officer", officer)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        clients[label] = client

    def api(label, name, expect=200):
        def call():
            response = clients[label].get(f"/api/v1/statistics/{name}/", {"year": year}, HTTP_ACCEPT="application/json")
            assert response.status_code == expect, (name, response.status_code, response.content[:300])
            return response
        return call

    def baseline(name):
        sql = RAW[name]

        def call():
            return orjson.dumps(raw.execute(sql, params).fetchall(), default=str)
        return call

    print(f"\n[statistics] {Case.objects.count():,} cases; year {year}; the city head counts "
          f"{len(scope.agencies)} agencies ({Agency.objects.get(code='420500-SCJG').name} and its subordinates); "
          f"{runs} requests per endpoint and viewer, alternating with the raw SQL; bar p95 <= 300 ms")
    api("officer", names[0], expect=404)()
    for name in names:
        platform, base = timed_pair(api("platform", name), baseline(name), runs=runs, warmup=3)
        city, _ = timed_pair(api("city head", name), baseline(name), runs=max(runs // 2, 10), warmup=2)
        print(f"  {name:<24} platform p50 {ms(p(platform, .5))} p95 {ms(p(platform, .95))} | city head p95 "
              f"{ms(p(city, .95))} | raw SQL p50 {ms(p(base, .5))} p95 {ms(p(base, .95))} "
              f"(platform p95 / raw p95 {p(platform, .95) / p(base, .95):.1f})")
        verdicts.check(f"(a) {name} p95 ms, platform", p(platform, .95) * 1000, "<= 300", p(platform, .95) <= BAR_SECONDS)
        verdicts.check(f"(a) {name} p95 ms, city head", p(city, .95) * 1000, "<= 300", p(city, .95) <= BAR_SECONDS)

    def counts():
        found = {}
        for name in names:
            api("platform", name)()  # the session's activity is written at most once a minute
            with CaptureQueriesContext(connection) as queries:
                api("platform", name)()
            found[name] = len(queries)
        return found

    at_total = counts()
    with transaction.atomic():
        agencies = list(Agency.objects.filter(kind="market_supervision"))
        officers = {a.pk: head.pk for a in agencies}
        extra = _case_rows(0, 20_000, agencies, officers, random.Random(7), timezone.localdate())
        for i, case in enumerate(extra):
            case.number = f"EXTRA-{i}"
        Case.objects.bulk_create(extra)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE casehub_case")
        bigger = Case.objects.count()
        at_more = counts()
        transaction.set_rollback(True)
    for name in names:
        print(f"  {name:<24} queries: {at_total[name]} at {TOTAL:,} cases, {at_more[name]} at {bigger:,}")
        verdicts.check(f"(b) {name} queries at {bigger:,} minus at {TOTAL:,}", at_more[name] - at_total[name], "== 0",
                       at_more[name] == at_total[name])

    # For reference: the pages that read every table.
    def page(url, label="platform"):
        def call():
            response = clients[label].get(url, {"year": year})
            assert response.status_code == 200, (url, response.status_code)
        return call

    for url in ("/dashboard/", "/statistics/report.xlsx"):
        samples, _ = timed_pair(page(url), page(url, "city head"), runs=max(runs // 4, 5), warmup=1)
        print(f"  (reference: {url} for the platform, every table: p50 {ms(p(samples, .5))} p95 {ms(p(samples, .95))})")
    raw.close()
