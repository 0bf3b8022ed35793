import pytest

from tests.factories import AgencyFactory, Office, member


@pytest.fixture
def office(db):
    """宜昌市市场监督管理局 with an officer, a second officer, a reviewer and a head."""
    return Office()


@pytest.fixture
def outsider(db):
    """An officer of another agency, who must see none of `office`'s cases."""
    other = Office(code="421000-SCJG", short_name="荆市监")
    return other.officer


@pytest.fixture
def stranger(db):
    """Signed in, member of no agency."""
    from tests.factories import UserFactory

    return UserFactory(username="stranger")


__all__ = ["AgencyFactory", "member"]
