import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from casehub.services import evidence
from tests.factories import Office, make_case

from .samples import PDF

pytestmark = pytest.mark.django_db


def test_sweep_removes_only_old_unreferenced_objects(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    office = Office()
    case = make_case(office)
    kept = evidence.upload(actor=office.officer, case=case, uploaded=SimpleUploadedFile("a.pdf", PDF))
    folder = tmp_path / "evidence" / str(case.pk)
    orphan, fresh_orphan = folder / "deadbeef", folder / "cafebabe"
    orphan.write_bytes(PDF)
    fresh_orphan.write_bytes(PDF)
    old = time.time() - 3 * 3600
    os.utime(orphan, (old, old))
    os.utime(tmp_path / kept.file.name, (old, old))
    call_command("sweep_evidence", "--dry-run")
    assert orphan.exists()
    call_command("sweep_evidence")
    assert not orphan.exists()
    assert fresh_orphan.exists()  # may still be committing
    assert (tmp_path / kept.file.name).exists()  # referenced
    assert "1 unreferenced objects removed" in capsys.readouterr().out
