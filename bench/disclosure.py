"""Issue 7: with 100,000 public records, a credit platform pages the
incremental feed from cursor 0 to the end through the API: records per
second, and p95 per page against the raw SQL of the same page through
psycopg, serialised with orjson (ratio)."""

import time
from datetime import timedelta

from .common import Verdicts, ms, p

TOTAL = 100_000
PAGE = 1000


def seed(total: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from casehub.models import Case, Party
    from casehub.rules.identifiers import credit_code_check_char
    from disclosure.models import DisclosureChange, DisclosureRecord
    from disclosure.services import snapshot

    if DisclosureRecord.objects.count() >= total:
        return
    print(f"seeding {total:,} disclosure records (once; kept for later runs)…", flush=True)
    today = timezone.localdate()
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    done = DisclosureRecord.objects.count()
    cases = Case.objects.exclude(pk__in=DisclosureRecord.objects.values("case_id")).select_related(
        "owning_agency").order_by("pk")
    for start in range(done, total, 5000):
        batch = list(cases[: min(5000, total - start)])
        with transaction.atomic():
            parties = []
            for i, case in enumerate(batch):
                n = start + i
                body = f"91420500MA{''.join(alphabet[(n // 31 ** k) % 31] for k in range(7))}"
                parties.append(Party(case=case, role="respondent", kind="enterprise", name=f"宜昌基准商贸有限公司{n}",
                                     credit_code=body + credit_code_check_char(body)))
            Party.objects.bulk_create(parties)
            records = [DisclosureRecord(
                case=case, agency=case.owning_agency, party=party, party_kind="enterprise", party_name=party.name,
                credit_code=party.credit_code, decision_number=f"基准处罚〔2026〕{start + i}号",
                decision_date=today - timedelta(days=30), ip_type=case.ip_type, violation_type="侵犯注册商标专用权",
                legal_basis="《中华人民共和国商标法》第六十条第二款", penalties=["fine", "confiscate_goods"],
                fine_amount=case.amount_involved, status="published", due_on=today, published_on=today,
                publicity_ends_on=today + timedelta(days=3 * 365), repair_possible_from=today + timedelta(days=182),
            ) for i, (case, party) in enumerate(zip(batch, parties, strict=True))]
            DisclosureRecord.objects.bulk_create(records)
            DisclosureChange.objects.bulk_create(
                [DisclosureChange(record=r, kind="published", snapshot=snapshot(r)) for r in records])
        print(f"  {start + len(batch):,}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_disclosurerecord")
        cursor.execute("ANALYZE disclosure_disclosurechange")


RAW_SQL = "SELECT id, kind, record_id, at, snapshot FROM disclosure_disclosurechange WHERE id > %s ORDER BY id LIMIT %s"


def run(verdicts: Verdicts) -> None:
    import orjson
    import psycopg
    from django.conf import settings
    from django.test import Client

    from disclosure.models import DisclosureChange
    from disclosure.throttling import PublicThrottle

    from .cases_list import TOTAL as CASES, seed as seed_cases

    seed_cases(CASES)
    seed(TOTAL)
    PublicThrottle.rate = "1000000/min"  # a platform's agreed quota; the limit itself is tested elsewhere
    client = Client(HTTP_HOST="localhost")
    url = "/api/v1/public/disclosures/changes/"
    total = DisclosureChange.objects.count()
    print(f"\n[disclosure feed] {total:,} changes; pages of {PAGE:,} from cursor 0 to the end")

    def follow():
        since, pages, records = 0, [], 0
        started = time.perf_counter()
        while True:
            t = time.perf_counter()
            body = orjson.loads(client.get(url, {"since": since, "limit": PAGE}).content)
            pages.append(time.perf_counter() - t)
            records += len(body["changes"])
            since = body["next"]
            if not body["has_more"]:
                return records, time.perf_counter() - started, pages

    db = settings.DATABASES["default"]
    raw = psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, dbname=db["NAME"], user=db["USER"] or None,
                          password=db["PASSWORD"] or None)

    def follow_raw():
        since, pages = 0, []
        while True:
            t = time.perf_counter()
            rows = raw.execute(RAW_SQL, [since, PAGE + 1]).fetchall()
            page = rows[:PAGE]
            orjson.dumps({"changes": [{"cursor": r[0], "kind": r[1], "record": r[2], "at": r[3],
                                       "record_data": r[4] or None} for r in page],
                          "next": page[-1][0] if page else since, "has_more": len(rows) > PAGE})
            pages.append(time.perf_counter() - t)
            if len(rows) <= PAGE:
                return pages
            since = page[-1][0]

    follow()  # warm up
    records, elapsed, pages = follow()
    raw_pages = follow_raw()
    raw.close()
    print(f"  API: {records:,} records in {elapsed:.1f} s = {records / elapsed:,.0f} records/s; "
          f"per page p50 {ms(p(pages, .5))} p95 {ms(p(pages, .95))}")
    print(f"  raw SQL + orjson: per page p50 {ms(p(raw_pages, .5))} p95 {ms(p(raw_pages, .95))}")
    ratio = p(pages, .95) / p(raw_pages, .95)
    print(f"  p95 ratio API / raw: {ratio:.2f}")
    verdicts.check("(disclosure) the feed from 0 reaches every change", records, f"== {total}", records == total)
