import pytest

from agencies.roles import Role
from tests.factories import member
from tests.transfers.helpers import Cast


@pytest.fixture
def cast():
    cast = Cast()
    cast.auditor = member(cast.market, Role.AUDITOR, username="qianjin")
    cast.police_auditor = member(cast.police, Role.AUDITOR, username="gongan-shenji")
    return cast


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
