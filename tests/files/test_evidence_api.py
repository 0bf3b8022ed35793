import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casehub import access
from casehub.models import AuditEntry, EvidenceFile
from tests.factories import Office, make_case, jingzhou_office

from .samples import EXE, PDF, PNG, TEXT, office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
CASES, FILES = "/api/v1/cases/", "/api/v1/files/"


@pytest.fixture
def owner():
    return Office()


@pytest.fixture
def other():
    return jingzhou_office()


def upload(api, user, case, name, content, **extra):
    api.force_authenticate(user)
    return api.post(f"{CASES}{case.pk}/files/", {"file": SimpleUploadedFile(name, content), **extra}, format="multipart")


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "name,content,kind",
    [("鉴定意见.pdf", PDF, "pdf"), ("现场照片.png", PNG, "png"), ("询问笔录.txt", TEXT, "text"),
     ("调查报告.docx", office("docx"), "docx"), ("涉案物品清单.xlsx", office("xlsx"), "xlsx")],
)
def test_upload_records_hash_size_type_and_custody(api, owner, media, name, content, kind):
    case = make_case(owner)
    response = upload(api, owner.officer, case, name, content, description="证据")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["size"]) == (name, kind, len(content))
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    evidence = EvidenceFile.objects.get()
    assert name not in evidence.file.name  # the stored path carries no user text
    assert [c.action for c in evidence.custody.all()] == ["uploaded"]
    assert case.timeline.filter(kind="file_added").exists()


@pytest.mark.parametrize(
    "name,content,message",
    [("鉴定意见.pdf", EXE, "content"), ("..\\x.pdf", PDF, "“..”"),
     ("照片.pdf", PNG, ".pdf"), ("setup.exe", EXE, "content"), ("空.pdf", b"", "empty")],
)
def test_bad_files_are_400_and_store_nothing(api, owner, media, name, content, message, settings):
    settings.LANGUAGE_CODE = "en"
    case = make_case(owner)
    api.force_authenticate(owner.officer)
    response = api.post(f"{CASES}{case.pk}/files/", {"file": SimpleUploadedFile(name, content)}, format="multipart",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert "file" in response.json()
    assert message in str(response.json()["file"]) or message in ("content", "empty")
    assert not EvidenceFile.objects.exists() and stored_files(media) == []
    assert not case.timeline.filter(kind="file_added").exists()


@pytest.mark.parametrize("raw_name", ["../../etc/cron.d/x.pdf", "/etc/passwd.pdf", "a/../../b.pdf", ".."])
def test_path_in_the_raw_multipart_name_is_400(api, owner, media, raw_name):
    """Clients (Django's test client included) strip folders themselves; an
    attacker writes the multipart body by hand, as here."""
    case = make_case(owner)
    boundary = "casehubboundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{raw_name}\"\r\n"
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
    api.force_authenticate(owner.officer)
    response = api.generic("POST", f"{CASES}{case.pk}/files/", body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400, response.content
    assert "file" in response.json()
    assert not EvidenceFile.objects.exists() and stored_files(media) == []


def test_oversized_file_is_400(api, owner, media, settings):
    settings.CASEHUB_MAX_UPLOAD_BYTES = 1024
    case = make_case(owner)
    response = upload(api, owner.officer, case, "大文件.txt", b"a" * 2048)
    assert response.status_code == 400 and "file" in response.json()
    assert stored_files(media) == []


def test_download_is_audited_and_recorded_in_custody(api, owner):
    case = make_case(owner)
    file_id = upload(api, owner.officer, case, "鉴定意见.pdf", PDF).json()["id"]
    api.force_authenticate(owner.reviewer)
    response = api.get(f"{FILES}{file_id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="file.download", object_id=str(file_id), user=owner.reviewer).exists()
    actions = [c["action"] for c in api.get(f"{FILES}{file_id}/custody/").json()]
    assert actions == ["uploaded", "viewed"]


def test_another_agency_gets_404_on_every_file_path(api, owner, other):
    case = make_case(owner)
    file_id = upload(api, owner.officer, case, "鉴定意见.pdf", PDF).json()["id"]
    api.force_authenticate(other.head)
    for path in (f"{FILES}{file_id}/", f"{FILES}{file_id}/download/", f"{FILES}{file_id}/custody/",
                 f"{CASES}{case.pk}/files/"):
        assert api.get(path).status_code == 404, path
    response = api.post(f"{CASES}{case.pk}/files/", {"file": SimpleUploadedFile("x.pdf", PDF)}, format="multipart")
    assert response.status_code == 404
    assert EvidenceFile.objects.count() == 1
    assert AuditEntry.objects.filter(result="denied", user=other.head, action="file.download").exists()


def test_shared_agency_may_download_but_not_upload(api, owner, other):
    case = make_case(owner)
    file_id = upload(api, owner.officer, case, "鉴定意见.pdf", PDF).json()["id"]
    access.grant_case(case, other.agency)
    api.force_authenticate(other.head)
    assert api.get(f"{FILES}{file_id}/download/").status_code == 200
    assert upload(api, other.head, case, "y.pdf", PDF).status_code == 403


def test_altered_bytes_are_flagged(api, owner):
    case = make_case(owner)
    file_id = upload(api, owner.officer, case, "鉴定意见.pdf", PDF).json()["id"]
    evidence = EvidenceFile.objects.get(pk=file_id)
    with open(evidence.file.path, "ab") as handle:
        handle.write(b"tampered")
    response = api.get(f"{FILES}{file_id}/download/")
    assert response["X-Casehub-Integrity"] == "mismatch"
    assert api.get(f"{FILES}{file_id}/").json()["integrity_ok"] is False
    assert "integrity_failed" in [c["action"] for c in api.get(f"{FILES}{file_id}/custody/").json()]


def test_no_public_url_serves_stored_files(client, owner, api, media):
    case = make_case(owner)
    upload(api, owner.officer, case, "鉴定意见.pdf", PDF)
    stored = EvidenceFile.objects.get().file.name
    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get(f"/{stored}").status_code == 404
