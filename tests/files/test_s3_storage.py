"""The S3-compatible storage backend, against moto's in-process S3: the same
upload, download and integrity behaviour as the filesystem."""

import hashlib

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from casehub.models import EvidenceFile
from tests.factories import Office, make_case

from .samples import PDF

pytestmark = pytest.mark.django_db
BUCKET = "casehub-evidence"


@pytest.fixture
def s3(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="cn-north-1")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage",
                        "OPTIONS": {"bucket_name": BUCKET, "region_name": "cn-north-1", "default_acl": "private",
                                    "file_overwrite": False}},
        }
        yield client


def test_upload_and_download_through_s3(api, s3):
    office = Office()
    case = make_case(office)
    api.force_authenticate(office.officer)
    created = api.post(f"/api/v1/cases/{case.pk}/files/", {"file": SimpleUploadedFile("鉴定意见.pdf", PDF)},
                       format="multipart")
    assert created.status_code == 201, created.content
    evidence = EvidenceFile.objects.get()
    stored = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert stored == PDF and hashlib.sha256(stored).hexdigest() == evidence.sha256
    # The object is private: no public read grant.
    grants = s3.get_object_acl(Bucket=BUCKET, Key=evidence.file.name)["Grants"]
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in grants)
    response = api.get(f"/api/v1/files/{evidence.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_tampered_object_is_flagged(api, s3):
    office = Office()
    case = make_case(office)
    api.force_authenticate(office.officer)
    api.post(f"/api/v1/cases/{case.pk}/files/", {"file": SimpleUploadedFile("鉴定意见.pdf", PDF)}, format="multipart")
    evidence = EvidenceFile.objects.get()
    s3.put_object(Bucket=BUCKET, Key=evidence.file.name, Body=PDF + b"changed")
    response = api.get(f"/api/v1/files/{evidence.pk}/download/")
    assert response["X-Casehub-Integrity"] == "mismatch"
