import pytest

from tests.transfers.helpers import Cast


@pytest.fixture
def cast():
    return Cast()
