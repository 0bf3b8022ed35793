import pytest

from tests.transfers.helpers import Cast


@pytest.fixture
def cast():
    return Cast()


@pytest.fixture(autouse=True)
def _pushing():
    from notifications import push

    push.resume_pushing()
    yield
    push.resume_pushing()
