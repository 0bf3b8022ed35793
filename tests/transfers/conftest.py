import pytest

from .helpers import Cast


@pytest.fixture
def cast():
    return Cast()
