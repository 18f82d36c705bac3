import pytest

from tests.certification import world


@pytest.fixture
def certifiable(northwind, alice):
    return world.certifiable(northwind, alice)
