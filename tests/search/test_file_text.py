"""The text of uploaded PDF and DOCX evidence reaches the case's search
document through the outbox, never during the upload; it is searchable and
highlighted on both backends, only by agencies that see the case; files that
cannot be read never stop the worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from casehub.events.bus import subscribers
from casehub.events.worker import drain, drain_subscriber
from casehub.models import Case, EvidenceFile, OutboxMessage
from search import documents
from search.backends import get_backend
from search.drift import measure
from search.file_text import EXTRACTOR
from search.models import FileText
from tests.factories import Office, make_case, jingzhou_office
from tests.files.samples import PDF as DAMAGED_PDF

from .samples import PHRASE, docx_file, encrypted, pdf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]
URL = "/api/v1/search/cases/"
DOCX_PHRASE = "现场查获侵权包装盒二百个"


@pytest.fixture
def offices(search_backend):
    mine = Office()
    theirs = jingzhou_office()
    return mine, theirs


def upload(api, user, case, name, content):
    api.force_authenticate(user)
    response = api.post(f"/api/v1/cases/{case.pk}/files/", {"file": SimpleUploadedFile(name, content)},
                        format="multipart")
    assert response.status_code == 201, response.content
    return EvidenceFile.objects.get(pk=response.json()["id"])


def search(api, user, q):
    api.force_authenticate(user)
    response = api.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    return response.json()


def titles(body):
    return [h["title"] for h in body["results"]]


def settle():
    drain()
    get_backend().refresh()


def in_step():
    backend = get_backend()
    backend.refresh()
    return backend.versions() == dict(Case.objects.values_list("id", "index_version"))


def test_pdf_and_docx_text_is_found_by_those_who_see_the_case(api, offices):
    mine, theirs = offices
    with_pdf = make_case(mine, title="销售假冒白酒案")
    with_docx = make_case(mine, title="侵权包装案")
    upload(api, mine.officer, with_pdf, "扣押清单.pdf", pdf(["扣押物品清单", PHRASE]))
    upload(api, mine.officer, with_docx, "现场检查笔录.docx", docx_file("现场检查笔录", table=[["查获", DOCX_PHRASE]]))
    # The upload answered without reading the files: that is the worker's job.
    assert not FileText.objects.exists()
    assert OutboxMessage.objects.filter(subscriber=EXTRACTOR, processed_at__isnull=True).count() == 2
    settle()
    assert set(FileText.objects.values_list("status", flat=True)) == {"ok"}

    body = search(api, mine.officer, "三千件")
    assert titles(body) == ["销售假冒白酒案"] and body["count"] == 1
    assert "<em>" in " ".join(body["results"][0]["highlights"]["file_text"])
    assert titles(search(api, mine.officer, "包装盒")) == ["侵权包装案"]
    assert titles(search(api, mine.officer, '"侵权包装盒二百个"')) == ["侵权包装案"]
    # file: is a file's name or its text; title: is not the file.
    assert titles(search(api, mine.officer, "file:三千件")) == ["销售假冒白酒案"]
    assert titles(search(api, mine.officer, "file:检查笔录")) == ["侵权包装案"]
    assert search(api, mine.officer, "title:三千件")["count"] == 0
    assert titles(search(api, mine.officer, "商标标识 -file:包装盒")) == ["销售假冒白酒案"]

    # Another agency finds nothing from the text: no hit, no total, no facet.
    for q in ("三千件", "file:三千件", "包装盒", "千"):
        body = search(api, theirs.officer, q)
        assert body["count"] == 0 and body["results"] == [] and sum(
            b["count"] for b in body.get("facets", {}).get("status", [])) == 0
    assert in_step()


def test_text_read_after_the_upload_was_indexed_still_reaches_the_index(api, offices):
    """The upload's own message indexes the document first (file name, no
    text); the text moves the case's index version, so the rebuilt document
    supersedes it on both backends."""
    mine, _ = offices
    case = make_case(mine, title="后补文本的案件")
    upload(api, mine.officer, case, "鉴定意见.pdf", pdf(PHRASE))
    uploaded = Case.objects.get(pk=case.pk).index_version
    drain_subscriber(subscribers()["search"])
    get_backend().refresh()
    assert titles(search(api, mine.officer, "鉴定意见")) == ["后补文本的案件"]
    assert search(api, mine.officer, "三千件")["count"] == 0
    settle()
    assert Case.objects.get(pk=case.pk).index_version == uploaded + 1
    assert titles(search(api, mine.officer, "三千件")) == ["后补文本的案件"]
    assert in_step()


def test_unreadable_files_never_stop_the_worker(api, offices):
    mine, _ = offices
    case = make_case(mine, title="证据文件损坏的案件")
    version = Case.objects.get(pk=case.pk).index_version
    upload(api, mine.officer, case, "损坏的鉴定意见.pdf", DAMAGED_PDF)
    upload(api, mine.officer, case, "加密的报告.pdf", encrypted(pdf(PHRASE), user_password="secret"))
    upload(api, mine.officer, case, "扫描件.pdf", pdf([]))
    upload(api, mine.officer, case, "现场照片.docx", docx_file(DOCX_PHRASE))
    settle()
    assert dict(FileText.objects.values_list("file__name", "status")) == {
        "损坏的鉴定意见.pdf": "unreadable", "加密的报告.pdf": "encrypted", "扫描件.pdf": "empty", "现场照片.docx": "ok"}
    # Nothing retried or given up, and the case is indexed with what could be read.
    assert not OutboxMessage.objects.filter(processed_at__isnull=True).exists()
    assert titles(search(api, mine.officer, "损坏的鉴定意见")) == ["证据文件损坏的案件"]
    assert titles(search(api, mine.officer, "包装盒")) == ["证据文件损坏的案件"]
    assert search(api, mine.officer, "三千件")["count"] == 0
    # Four uploads, one document that gained text.
    assert Case.objects.get(pk=case.pk).index_version == version + 5
    assert in_step()


def test_storage_trouble_is_retried_then_the_text_arrives(api, offices, media):
    mine, _ = offices
    case = make_case(mine, title="存储暂不可读的案件")
    evidence = upload(api, mine.officer, case, "鉴定意见.pdf", pdf(PHRASE))
    stored = media / evidence.file.name
    content = stored.read_bytes()
    stored.unlink()  # the storage cannot give the bytes back for now
    settle()
    message = OutboxMessage.objects.get(subscriber=EXTRACTOR)
    assert message.attempts == 1 and message.failed_at is None and message.processed_at is None
    assert not FileText.objects.exists()
    assert titles(search(api, mine.officer, "鉴定意见")) == ["存储暂不可读的案件"]  # the rest is indexed
    stored.write_bytes(content)
    OutboxMessage.objects.update(available_at=timezone.now())  # the backoff has passed
    settle()
    assert titles(search(api, mine.officer, "三千件")) == ["存储暂不可读的案件"]
    assert in_step()


def test_altered_bytes_are_not_read(api, offices, media):
    mine, _ = offices
    case = make_case(mine, title="文件被改动的案件")
    evidence = upload(api, mine.officer, case, "鉴定意见.pdf", pdf("原始内容"))
    (media / evidence.file.name).write_bytes(pdf(PHRASE))
    settle()
    assert FileText.objects.get().status == "altered"
    assert search(api, mine.officer, "三千件")["count"] == 0


def test_reindex_status_and_backfill_keep_the_text(api, offices, capsys):
    mine, _ = offices
    case = make_case(mine, title="重建索引的案件")
    upload(api, mine.officer, case, "扣押清单.pdf", pdf(PHRASE))
    # A file from before text extraction existed: its message never ran.
    older = upload(api, mine.officer, case, "旧笔录.docx", docx_file(DOCX_PHRASE))
    OutboxMessage.objects.filter(subscriber=EXTRACTOR, payload__file_id=older.pk).delete()
    settle()
    call_command("search_status")
    out = capsys.readouterr().out
    assert "file text to read: 0; given up: 0" in out and "index in step" in out
    assert search(api, mine.officer, "包装盒")["count"] == 0

    call_command("search_extract_text")
    assert "files read: 1; storage unreadable: 0" in capsys.readouterr().out
    call_command("search_status")
    assert "index drifts" in capsys.readouterr().out  # the case waits for the worker
    settle()
    assert titles(search(api, mine.officer, "包装盒")) == ["重建索引的案件"]

    backend = get_backend()
    if hasattr(backend, "client"):
        backend.client.indices.delete(index="cases*")
        backend.ensure_index()
    else:
        from search.models import SearchEntry

        SearchEntry.objects.all().delete()
    call_command("search_reindex")
    assert measure(backend).in_step
    get_backend().refresh()
    assert titles(search(api, mine.officer, "三千件")) == ["重建索引的案件"]
    assert titles(search(api, mine.officer, "包装盒")) == ["重建索引的案件"]


def test_documents_hold_capped_file_text_in_constant_queries(api, offices, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine, _ = offices
    cases = [make_case(mine) for _ in range(3)]
    for case in cases:
        upload(api, mine.officer, case, "一.pdf", pdf(PHRASE))
        upload(api, mine.officer, case, "二.docx", docx_file(DOCX_PHRASE))
    settle()
    with CaptureQueriesContext(connection) as one:
        documents.build([cases[0].pk])
    with CaptureQueriesContext(connection) as three:
        docs = documents.build([c.pk for c in cases])
    assert len(one) == len(three)
    assert docs[cases[1].pk]["file_text"] == [PHRASE, DOCX_PHRASE]
    monkeypatch.setattr(documents, "MAX_FILE_TEXT", len(PHRASE) + 3)
    assert documents.build([cases[1].pk])[cases[1].pk]["file_text"] == [PHRASE, DOCX_PHRASE[:3]]


def test_an_index_made_before_file_text_gains_the_field(search_backend):
    if not hasattr(search_backend, "client"):
        pytest.skip("the database backend has no mapping")
    from search.backends.elastic import ElasticBackend, alias, mapping

    old = mapping()
    del old["properties"]["file_text"]
    search_backend.client.indices.create(index="cases-old", mappings=old)
    search_backend.client.indices.put_alias(index="cases-old", name=alias())
    backend = ElasticBackend(search_backend.client)
    backend.ensure_index()
    doc = {"id": 1, "title": "旧索引", "file_text": [PHRASE], "visible_to": [1], "version": 1}
    assert backend.index({1: doc}, refresh=True) == set()


def test_text_is_read_through_s3_storage(api, offices, settings, monkeypatch):
    """Files in an S3-compatible bucket are read through the storage, like
    the download endpoint reads them (moto's in-process S3)."""
    import boto3
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    mine, theirs = offices
    with mock_aws():
        boto3.client("s3", region_name="cn-north-1").create_bucket(
            Bucket="casehub-evidence", CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "casehub-evidence", "region_name": "cn-north-1", "default_acl": "private",
                        "file_overwrite": False}}}
        case = make_case(mine, title="证据存于对象存储的案件")
        upload(api, mine.officer, case, "扣押清单.pdf", pdf(PHRASE))
        settle()
    assert FileText.objects.get().status == "ok"
    assert titles(search(api, mine.officer, "三千件")) == ["证据存于对象存储的案件"]
    assert search(api, theirs.officer, "三千件")["count"] == 0
